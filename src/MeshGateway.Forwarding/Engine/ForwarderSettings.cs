namespace MeshGateway.Forwarding;

/// <summary>
/// The engine's immutable copy of the options' timeouts, limits and buffers: taken when the forwarder is built and
/// replaced whole by <see cref="TcpForwarder.UpdateOptions(ForwarderOptions)"/>; each connection keeps the copy it started with.
/// </summary>
internal sealed record ForwarderSettings(
    TimeSpan SniffTimeout,
    TimeSpan RouteTimeout,
    int MaxClientHelloBytes,
    TimeSpan ConnectTimeout,
    int MaxConnectAttempts,
    TimeSpan IdleTimeout,
    TimeSpan HalfClosedTimeout,
    TimeSpan DrainTimeout,
    int MaxConnections,
    int BufferSize,
    bool UseZeroByteReads,
    bool PropagateResets,
    PumpMode Pump)
{
    /// <summary>
    /// Splice mode waits on the forwarder's own epoll loop for sockets it owns (true), or on the runtime's readiness
    /// (false: what the Kestrel path always does). Internal: tests run the splice semantics both ways.
    /// </summary>
    public bool OwnReadiness { get; init; } = true;

    /// <summary>
    /// <see cref="PumpMode.Auto"/>: the most pipes in use at which a direction may still switch to splice
    /// (<see cref="ProcessDescriptors.SplicePipeBudget"/>); set with the effective connection cap.
    /// </summary>
    public int SplicePipeBudget { get; init; } = int.MaxValue;

    /// <summary>
    /// Routes that replaced the built resolver (<see cref="TcpForwarder.UpdateOptions(ForwarderOptions, IForwardRouteResolver)"/>),
    /// or null for the built one. Part of the snapshot, so a connection routes with the set that came with its timeouts.
    /// </summary>
    public IForwardRouteResolver? RouteResolver { get; init; }

    public static ForwarderSettings From(ForwarderOptions options) => new(
        options.SniffTimeout,
        options.RouteTimeout,
        options.MaxClientHelloBytes,
        options.ConnectTimeout,
        options.MaxConnectAttempts,
        options.IdleTimeout,
        options.HalfClosedTimeout,
        options.DrainTimeout,
        options.MaxConnections,
        options.BufferSize,
        options.UseZeroByteReads,
        options.PropagateResets,
        options.Pump);
}
