namespace MeshGateway.Forwarding;

/// <summary>
/// What <see cref="MeshGatewayComposer"/> made of a valid <see cref="MeshGatewayOptions"/>: the listeners with their
/// routes (the Modes resolver already chose each upstream's path), the forwarders' options, and what to print.
/// </summary>
public sealed class MeshGatewayComposition
{
    internal MeshGatewayComposition(
        MeshGatewayOptions options,
        IReadOnlyList<ListenerPlan> listeners,
        IReadOnlyList<string> routes,
        IReadOnlyList<MeshGatewayOptionsProblem> warnings)
    {
        Options = options;
        Listeners = listeners;
        Routes = routes;
        Warnings = warnings;
    }

    /// <summary>The options this was composed from.</summary>
    public MeshGatewayOptions Options { get; }

    /// <summary>One listener per mesh-gateway address or per upstream, in the options' order.</summary>
    public IReadOnlyList<ListenerPlan> Listeners { get; }

    /// <summary>What a mesh gateway serves, one line per route (<c>serves web.default.dc1.internal.&lt;td&gt; -&gt; …</c>); empty for upstream listeners.</summary>
    public IReadOnlyList<string> Routes { get; }

    /// <summary>What still works but should change (a mode word Consul rejects), each at its path.</summary>
    public IReadOnlyList<MeshGatewayOptionsProblem> Warnings { get; }

    /// <summary>
    /// A new <see cref="ForwarderOptions"/> with the options' timeouts and limits (and the defaults for the rest), for
    /// <see cref="ListenerPlan.CreateForwarderBuilder"/> or <see cref="TcpForwarder.UpdateOptions(ForwarderOptions)"/>.
    /// </summary>
    /// <returns>New options on every call.</returns>
    public ForwarderOptions CreateForwarderOptions()
    {
        MeshGatewayTimeoutOptions timeouts = Options.Timeouts;
        MeshGatewayLimitOptions limits = Options.Limits;
        return new ForwarderOptions
        {
            SniffTimeout = timeouts.Sniff,
            RouteTimeout = timeouts.Route,
            ConnectTimeout = timeouts.Connect,
            IdleTimeout = timeouts.Idle,
            HalfClosedTimeout = timeouts.HalfClosed,
            DrainTimeout = timeouts.Drain,
            MaxConnections = limits.MaxConnections,
            MaxClientHelloBytes = limits.MaxClientHelloBytes,
            MaxConnectAttempts = limits.MaxConnectAttempts,
            BufferSize = limits.BufferSize,
        };
    }

    /// <summary>Starts every listener (see <see cref="ForwarderGroup.StartAsync"/>), each forwarder on <see cref="CreateForwarderOptions"/>.</summary>
    /// <param name="configure">Called on each forwarder builder before it is built (observers, logging), or <see langword="null"/>.</param>
    /// <returns>The running group; dispose it (or stop it) to drain.</returns>
    /// <exception cref="System.Net.Sockets.SocketException">A listen address cannot be bound; the listeners already started are stopped.</exception>
    public Task<ForwarderGroup> StartAsync(Action<ListenerPlan, TcpForwarderBuilder>? configure = null) =>
        ForwarderGroup.StartAsync(Listeners, CreateForwarderOptions(), configure);
}
