namespace MeshGateway.Forwarding;

/// <summary>What the forwarder learned from the ClientHello, without terminating TLS.</summary>
/// <param name="ServerName">The SNI host name as sent, or null when the hello carried none.</param>
/// <param name="ApplicationProtocols">The ALPN protocols the client offered, in its order (empty when none).</param>
/// <param name="HelloLength">The bytes the inspector needed to decide (the held bytes that will be replayed).</param>
public sealed record SniffedClientHello(string? ServerName, IReadOnlyList<string> ApplicationProtocols, int HelloLength)
{
    /// <summary>
    /// True when the hello carries an outer Encrypted Client Hello extension: <see cref="ServerName"/> is then the
    /// public (decoy) name, not the one the client wants. SNI routing is not an authorization boundary.
    /// </summary>
    public bool OffersEncryptedClientHello { get; init; }

    /// <summary>
    /// The name routes are matched against: <see cref="ServerName"/> with one trailing dot removed. Browsers send
    /// the dot when the user typed a fully qualified name (<c>https://web.example.</c>), and it names the same host
    /// in DNS (RFC 1034 §3.1), so <c>web.example.</c> routes as <c>web.example</c>; two dots do not. Null when the
    /// hello carried no name. <see cref="ServerName"/> itself stays as sent (logs show it).
    /// </summary>
    public string? RouteName => ServerName is { Length: > 1 } name && name[^1] == '.' ? name[..^1] : ServerName;
}
