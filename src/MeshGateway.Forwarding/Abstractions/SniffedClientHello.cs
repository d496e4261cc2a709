namespace MeshGateway.Forwarding;

/// <summary>What the forwarder learned from the ClientHello, without terminating TLS.</summary>
/// <param name="ServerName">The SNI host name as sent, or null when the hello carried none.</param>
/// <param name="ApplicationProtocols">The ALPN protocols the client offered, in its order (empty when none).</param>
/// <param name="HelloLength">The bytes the sniff needed to decide (the held bytes that will be replayed).</param>
public sealed record SniffedClientHello(string? ServerName, IReadOnlyList<string> ApplicationProtocols, int HelloLength)
{
    /// <summary>
    /// True when the hello carries an outer Encrypted Client Hello extension: <see cref="ServerName"/> is then the
    /// public (decoy) name, not the one the client wants. SNI routing is not an authorization boundary.
    /// </summary>
    public bool OffersEncryptedClientHello { get; init; }
}
