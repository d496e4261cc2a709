using System.Net;

namespace MeshGateway.Forwarding;

/// <summary>
/// The forwarders and listeners of a composed gateway or sidecar, started together and drained together: the
/// smallest host for <see cref="ListenerPlan"/>s. Disposing (or <see cref="StopAsync"/>) stops accepting and drains
/// every forwarder within its <see cref="ForwarderOptions.DrainTimeout"/>, so open connections end as drained.
/// </summary>
public sealed class ForwarderGroup : IAsyncDisposable
{
    private readonly List<(ListenerPlan Plan, TcpForwarder Forwarder, ForwarderListener Listener)> _running;

    private ForwarderGroup(List<(ListenerPlan, TcpForwarder, ForwarderListener)> running) => _running = running;

    /// <summary>The started listeners, in plan order.</summary>
    public IReadOnlyList<ForwarderListener> Listeners => _running.ConvertAll(r => r.Listener);

    /// <summary>The forwarders, in plan order.</summary>
    public IReadOnlyList<TcpForwarder> Forwarders => _running.ConvertAll(r => r.Forwarder);

    /// <summary>The plans, in order.</summary>
    public IReadOnlyList<ListenerPlan> Plans => _running.ConvertAll(r => r.Plan);

    /// <summary>The open connections of every forwarder.</summary>
    public int ActiveConnections => _running.Sum(r => r.Forwarder.ActiveConnections);

    /// <summary>Builds a forwarder per plan and starts its listener.</summary>
    /// <param name="plans">What to run.</param>
    /// <param name="options">The forwarders' options; <see langword="null"/> for the defaults.</param>
    /// <param name="configure">Called on each forwarder builder before it is built (observers, logging), or <see langword="null"/>.</param>
    /// <returns>The running group.</returns>
    /// <exception cref="System.Net.Sockets.SocketException">A listen address cannot be bound; the listeners already started are stopped.</exception>
    public static async Task<ForwarderGroup> StartAsync(IEnumerable<ListenerPlan> plans, ForwarderOptions? options = null, Action<ListenerPlan, TcpForwarderBuilder>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(plans);
        var group = new ForwarderGroup([]);
        try
        {
            foreach (ListenerPlan plan in plans)
            {
                TcpForwarderBuilder builder = plan.CreateForwarderBuilder(options);
                configure?.Invoke(plan, builder);
                TcpForwarder forwarder = builder.Build();
                var listener = new ForwarderListener(forwarder, plan.EndPoint);
                group._running.Add((plan, forwarder, listener));
                listener.Start();
            }

            return group;
        }
        catch
        {
            await group.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The bound address of each listener, in plan order.</summary>
    public IReadOnlyList<IPEndPoint?> LocalEndPoints => _running.ConvertAll(r => r.Listener.LocalEndPoint);

    /// <summary>Stops accepting on every listener, then drains every forwarder at once.</summary>
    /// <param name="cancellationToken">Ends the drain early (connections still open are then aborted by disposal).</param>
    /// <returns>A task that completes when every listener has stopped and drained.</returns>
    public Task StopAsync(CancellationToken cancellationToken = default) =>
        Task.WhenAll(_running.Select(r => r.Listener.StopAsync(cancellationToken)));

    /// <summary>Stops (draining), then releases every listener and forwarder.</summary>
    /// <returns>A task that completes when everything is released.</returns>
    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        foreach ((_, TcpForwarder forwarder, ForwarderListener listener) in _running)
        {
            await listener.DisposeAsync().ConfigureAwait(false);
            await forwarder.DisposeAsync().ConfigureAwait(false);
        }
    }
}
