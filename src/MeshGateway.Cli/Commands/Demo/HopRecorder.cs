using System.Collections.Concurrent;
using MeshGateway.Forwarding;

namespace MeshGateway.Cli.Commands.Demo;

/// <summary>Records which forwarders a demo connection was spliced through, and how the client's first hop ended.</summary>
internal sealed class HopRecorder
{
    private readonly ConcurrentQueue<(int Order, string Hop)> _hops = new();
    private TaskCompletionSource<ForwardingResult> _firstHopClosed = NewCompletion();

    /// <summary>The hops from the client towards the service (splices start in the other order: the last hop connects first).</summary>
    public IReadOnlyList<string> Hops => [.. _hops.OrderBy(h => h.Order).Select(h => h.Hop)];

    /// <summary>Completes when the client's own hop (the sidecar's upstream listener) closed.</summary>
    public Task<ForwardingResult> FirstHopClosed => _firstHopClosed.Task;

    /// <summary>Starts a new connection's record.</summary>
    public void Reset()
    {
        _hops.Clear();
        _firstHopClosed = NewCompletion();
    }

    /// <summary>An observer for one forwarder named <paramref name="name"/>, <paramref name="order"/> hops from the client.</summary>
    public IForwarderObserver For(string name, int order) => new Observer(this, name, order);

    private static TaskCompletionSource<ForwardingResult> NewCompletion() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private sealed class Observer(HopRecorder recorder, string name, int order) : IForwarderObserver
    {
        public void OnStreaming(ForwardingContext context) => recorder._hops.Enqueue((order, $"{name} [route {context.Route?.Id}]"));

        public void OnClosed(ForwardingContext context, ForwardingResult result)
        {
            if (order == 0)
            {
                recorder._firstHopClosed.TrySetResult(result);
            }
        }
    }
}
