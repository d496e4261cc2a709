namespace MeshGateway.Forwarding;

/// <summary>
/// Observer stage: per-connection events for access logs, custom metrics or tracing. Every method has an empty
/// default, so implement only what you need. Calls are synchronous on the connection's path: do not block.
/// An exception thrown here is logged and ignored.
/// </summary>
public interface IForwarderObserver
{
    /// <summary>A connection was accepted (before admission).</summary>
    void OnAccepted(ForwardingContext context)
    {
    }

    /// <summary>A route was chosen (<see cref="ForwardingContext.Route"/> is set).</summary>
    void OnRouted(ForwardingContext context)
    {
    }

    /// <summary>A connect attempt ended; <paramref name="exception"/> is null when it succeeded.</summary>
    void OnConnectAttempt(ForwardingContext context, UpstreamEndpoint endpoint, int attempt, Exception? exception)
    {
    }

    /// <summary>The held bytes were replayed and splicing started.</summary>
    void OnStreaming(ForwardingContext context)
    {
    }

    /// <summary>The connection ended; both sockets are closed. Called exactly once per connection.</summary>
    void OnClosed(ForwardingContext context, ForwardingResult result)
    {
    }
}
