using MeshGateway.Naming;

namespace MeshGateway.Forwarding.AspNetCore;

/// <summary>
/// How <see cref="MeshGatewayListenOptionsExtensions.UseMeshGatewayForwarding(Microsoft.AspNetCore.Server.Kestrel.Core.ListenOptions, TcpForwarder, Action{KestrelForwardingOptions}?)"/>
/// treats an endpoint's connections: <b>terminal</b> (every connection is forwarded; the default) or
/// <b>mixed</b> (set <see cref="ForwardWhen"/> or call <see cref="ForwardServerNames"/>: matching ClientHellos are
/// forwarded untouched, everything else continues to the next middleware, e.g. <c>UseHttps()</c> and the app).
/// </summary>
/// <remarks>
/// Kestrel accepts the connections, so Kestrel's <c>KestrelServerLimits.MaxConcurrentConnections</c> (unlimited by
/// default) is what keeps accepted sockets within the process's descriptor limit; set it. The forwarder's own
/// <see cref="TcpForwarder.MaxConnections"/> closes connections beyond its cap after Kestrel accepted them.
/// </remarks>
public sealed class KestrelForwardingOptions
{
    /// <summary>
    /// Mixed mode when set: called once the ClientHello was read (nothing consumed); <c>true</c> forwards the
    /// connection, <c>false</c> hands it, every byte still unread, to the next middleware. A connection that is not
    /// TLS, whose hello is malformed or too large, that stays silent past the forwarder's
    /// <see cref="ForwarderOptions.SniffTimeout"/> or ends early always goes to the next middleware. The hello is read
    /// once, under the forwarder's <see cref="ForwarderOptions.MaxClientHelloBytes"/>, and handed to the forwarder. Null (the default): terminal, every connection is forwarded.
    /// </summary>
    public Func<SniffedClientHello, bool>? ForwardWhen { get; set; }

    /// <summary>
    /// Write to the client through the connection's socket (<c>IConnectionSocketFeature</c>) when Kestrel's socket
    /// transport provides one (default true), so that the forwarder's half-close is a real FIN and the client can
    /// keep sending. Kestrel would otherwise turn the half-close into a full close (aspnetcore#14937). Turn it off
    /// when a middleware before this one wraps <c>Transport</c> and must see the bytes sent.
    /// </summary>
    public bool HalfCloseThroughSocket { get; set; } = true;

    /// <summary>
    /// Mixed mode that forwards the SNIs matching <paramref name="patterns"/> (exact names, <c>*.suffix</c>,
    /// or <c>*</c>; case-insensitive, MeshGateway.Naming's rules) and passes everything else on.
    /// </summary>
    /// <exception cref="SniRouteTableException">A pattern is invalid (every invalid one is listed).</exception>
    public KestrelForwardingOptions ForwardServerNames(params IEnumerable<string> patterns)
    {
        ArgumentNullException.ThrowIfNull(patterns);
        var builder = new SniRouteTableBuilder<bool>();
        foreach (string pattern in patterns)
        {
            builder.Add(pattern, true);
        }

        SniRouteTable<bool> table = builder.Build();
        ForwardWhen = hello => hello.ServerName is { } name && table.TryLookup(name.AsSpan(), out _);
        return this;
    }
}
