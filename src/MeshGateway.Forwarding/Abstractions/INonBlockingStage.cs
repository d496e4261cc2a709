namespace MeshGateway.Forwarding;

/// <summary>
/// Declares that a stage — an <see cref="IConnectionFilter"/>, <see cref="IForwardRouteResolver"/>,
/// <see cref="IUpstreamSelector"/>, <see cref="IUpstreamConnector"/>, <see cref="IUpstreamPreambleWriter"/> or
/// <see cref="IForwarderObserver"/> — never blocks
/// the calling thread and returns promptly: it reads memory, counts, queues work, or returns a pending task for
/// anything that waits. The engine then calls it on its own event-loop thread, where the connection's socket
/// events are handled, instead of handing the connection to the thread pool first.
/// </summary>
/// <remarks>
/// On Linux the forwarder serves its sockets from its own <c>epoll(7)</c> loops, one per processor. A connection whose
/// stages are all non-blocking runs accept → sniff → route → dial → replay → pump → close on one loop thread without a
/// thread switch (what HAProxy and nginx do with their event loops). A stage that does not implement this interface is
/// treated as user code that may block: the connection moves to the thread pool before calling it (and an observer or
/// filter that is not marked makes every connection of that forwarder start on the thread pool), so one slow callback
/// never stalls the other connections of its loop. Every stage that ships in MeshGateway implements it. Implement it
/// only when it is true: a blocking call on a loop thread delays every connection served by that loop.
/// </remarks>
public interface INonBlockingStage
{
}
