namespace MeshGateway.Forwarding;

/// <summary>The stage a connection was in when it ended: the phase half of the close reason.</summary>
public enum ForwardingPhase
{
    /// <summary>Connection filters and limits, before any byte was read.</summary>
    Admission = 0,

    /// <summary>Sniffing the ClientHello (bounded by wire bytes and time).</summary>
    Sniffing = 1,

    /// <summary>Resolving the route from what was sniffed.</summary>
    Routing = 2,

    /// <summary>Choosing an endpoint and dialing it, with retries.</summary>
    Connecting = 3,

    /// <summary>Both directions are open and bytes are spliced.</summary>
    Streaming = 4,

    /// <summary>One direction has finished (FIN forwarded); the other still flows.</summary>
    HalfClosed = 5,
}
