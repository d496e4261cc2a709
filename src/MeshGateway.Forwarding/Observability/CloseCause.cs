namespace MeshGateway.Forwarding;

/// <summary>
/// Why a forwarded connection ended: the cause half of the close reason (the phase is
/// <see cref="ForwardingPhase"/>). Modelled on HAProxy's termination state and YARP's <c>StreamCopyResult</c>.
/// </summary>
public enum CloseCause
{
    /// <summary>Not closed yet.</summary>
    None = 0,

    /// <summary>The client sent FIN first; both directions then finished cleanly.</summary>
    ClientClosed = 1,

    /// <summary>The upstream sent FIN first; both directions then finished cleanly.</summary>
    UpstreamClosed = 2,

    /// <summary>The client reset the connection (RST) or a send to it failed.</summary>
    ClientReset = 3,

    /// <summary>The upstream reset the connection (RST) or a send to it failed.</summary>
    UpstreamReset = 4,

    /// <summary>A connection filter refused the connection.</summary>
    Rejected = 5,

    /// <summary>The forwarder already held its maximum number of concurrent connections.</summary>
    ConnectionLimit = 6,

    /// <summary>The ClientHello did not complete before the sniff deadline (slow or silent client).</summary>
    SniffTimeout = 7,

    /// <summary>The ClientHello did not fit in the sniff byte budget.</summary>
    ClientHelloTooLarge = 8,

    /// <summary>The first bytes are not a TLS handshake record.</summary>
    NotTls = 9,

    /// <summary>The bytes are TLS but the ClientHello is malformed (or another handshake message came first).</summary>
    MalformedClientHello = 10,

    /// <summary>No route matched the connection (unknown SNI, other trust domain, no SNI).</summary>
    NoRoute = 11,

    /// <summary>The route's cluster has no endpoint left to try.</summary>
    NoEndpoint = 12,

    /// <summary>Every connect attempt failed (refused, unreachable or timed out).</summary>
    ConnectFailed = 13,

    /// <summary>No byte moved in either direction for the idle timeout.</summary>
    IdleTimeout = 14,

    /// <summary>After one direction finished, the other moved no byte for the half-closed timeout.</summary>
    HalfClosedTimeout = 15,

    /// <summary>The forwarder drained: it stopped and the connection did not finish within the drain timeout.</summary>
    Drained = 16,

    /// <summary>The caller cancelled the connection's token.</summary>
    Canceled = 17,

    /// <summary>An unexpected error in the forwarder or in a user stage.</summary>
    InternalError = 18,

    /// <summary>The route resolver did not answer within <see cref="ForwarderOptions.RouteTimeout"/>.</summary>
    RouteTimeout = 19,
}
