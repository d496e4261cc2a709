using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace MeshGateway.Forwarding;

/// <summary>
/// The forwarding engine on raw sockets: for each accepted client socket it runs admission → sniff → route →
/// select → connect (with retry) → replay → splice, and reports how the connection ended. Build one with
/// <see cref="TcpForwarderBuilder"/> (or <c>services.AddMeshGatewayForwarder()</c>); accept with
/// <see cref="ForwarderListener"/> or hand it sockets yourself through <see cref="ForwardAsync(System.Net.Sockets.Socket, CancellationToken)"/>.
/// </summary>
public sealed partial class TcpForwarder : IAsyncDisposable
{
    /// <summary>How often timeouts are checked: one coarse heartbeat per engine, as Kestrel does, not a timer per read.</summary>
    internal static readonly TimeSpan HeartbeatInterval = TimeSpan.FromSeconds(1);

    /// <summary>The connections held, for the heartbeat and the drain (each keeps its slot: <see cref="ForwardedConnection.TableSlot"/>).</summary>
    private readonly SlotArray<ForwardedConnection> _connections = new();
    private readonly ITimer _heartbeat;
    private long _nextConnectionId;
    private int _active;
    private int _draining;
    private int _disposed;
    private long _splicedDirections;

    /// <summary>Descriptors kept free beyond those open when the forwarder is built (logs, DNS, the listener, the runtime).</summary>
    internal const int DescriptorReserve = 32;

    private TaskCompletionSource? _capacityWaiter;
    private ForwarderSettings _settings;
    private int _descriptorReserve = -1;

    internal TcpForwarder(ForwarderSettings settings, ForwarderStages stages)
    {
        Stages = stages;
        _settings = WithDescriptorLimits(settings);
        _heartbeat = stages.TimeProvider.CreateTimer(static state => ((TcpForwarder)state!).OnHeartbeat(), this, HeartbeatInterval, HeartbeatInterval);
    }

    /// <summary>Connections currently held (admitted and not yet closed).</summary>
    public int ActiveConnections => Volatile.Read(ref _active);

    /// <summary>
    /// The connection cap in force: <see cref="ForwarderOptions.MaxConnections"/>, lowered when the process's soft
    /// descriptor limit (<c>RLIMIT_NOFILE</c>, read when the forwarder is built or its options updated, less the
    /// descriptors open when it was built and a reserve of 32) cannot hold that many connections at 2 descriptors
    /// each (copy) or 6 (splice).
    /// </summary>
    public int MaxConnections => Settings.MaxConnections;

    /// <summary>True once <see cref="DrainAsync(CancellationToken)"/> has been called: new connections are refused.</summary>
    public bool IsDraining => Volatile.Read(ref _draining) != 0;

    /// <summary>
    /// The settings in force: one immutable snapshot, replaced whole by <see cref="UpdateOptions(ForwarderOptions)"/>. A connection reads
    /// it once, when it is created, and keeps it to the end (its timeouts, limits and buffers never change under it).
    /// </summary>
    internal ForwarderSettings Settings => Volatile.Read(ref _settings);

    /// <summary>
    /// Applies the timeouts and limits of <paramref name="options"/> to connections accepted from now on; connections
    /// already open keep the settings they started with. <see cref="ForwarderOptions.MaxConnections"/> is clamped to
    /// the descriptor limit again (<see cref="MaxConnections"/>), and a lower cap does not close connections already
    /// admitted: it only refuses new ones until the count falls below it. <see cref="ForwarderOptions.Pump"/> and
    /// <see cref="ForwarderOptions.MaxClientHelloBytes"/> stay as built (they decide the transports and the
    /// ClientHello parser the forwarder made): change them with a new forwarder. Routes stay as they are (the
    /// resolver's business: <see cref="OptionsRouteResolver"/> follows its <see cref="IOptionsMonitor{TOptions}"/>); to
    /// replace routes together with the settings, use <see cref="UpdateOptions(ForwarderOptions, IForwardRouteResolver)"/>.
    /// </summary>
    /// <param name="options">The new options; validated first, every error at once.</param>
    /// <exception cref="OptionsValidationException"><paramref name="options"/> is invalid; the settings in force stay.</exception>
    public void UpdateOptions(ForwarderOptions options) => Update(options, routes: null);

    /// <summary>
    /// As <see cref="UpdateOptions(ForwarderOptions)"/>, and replaces the route resolver in the same snapshot: a
    /// connection accepted after the call routes with <paramref name="routes"/> under the new timeouts and limits; one
    /// accepted before keeps the old routes and the old settings, even if it routes later. Never a mix of the two.
    /// </summary>
    /// <param name="options">The new options; validated first, every error at once.</param>
    /// <param name="routes">The routes for connections accepted from now on.</param>
    /// <exception cref="OptionsValidationException"><paramref name="options"/> is invalid; nothing changes.</exception>
    public void UpdateOptions(ForwarderOptions options, IForwardRouteResolver routes)
    {
        ArgumentNullException.ThrowIfNull(routes);
        Update(options, routes);
    }

    private void Update(ForwarderOptions options, IForwardRouteResolver? routes)
    {
        ArgumentNullException.ThrowIfNull(options);
        ForwarderOptionsValidator.ThrowIfInvalid(options);
        ForwarderSettings current = Settings;
        ForwarderSettings next = ForwarderSettings.From(options) with
        {
            Pump = current.Pump,
            MaxClientHelloBytes = current.MaxClientHelloBytes,
            OwnReadiness = current.OwnReadiness,
            RouteResolver = routes ?? current.RouteResolver,
        };
        next = WithDescriptorLimits(next);

        // One reference write: a connection created after it sees every new value, one created before sees none.
        Volatile.Write(ref _settings, next);

        // A higher cap may admit clients the listener is holding back.
        if (Volatile.Read(ref _active) < next.MaxConnections && Interlocked.Exchange(ref _capacityWaiter, null) is { } waiter)
        {
            waiter.TrySetResult();
        }
    }

    internal ForwarderStages Stages { get; }

    /// <summary>
    /// Forwards one accepted client socket until both directions are done, then closes it. Never throws for
    /// network conditions: the result says how the connection ended. The forwarder owns the socket from here on.
    /// </summary>
    /// <param name="client">A connected stream socket.</param>
    /// <param name="cancellationToken">Aborts the connection (<see cref="CloseCause.Canceled"/>).</param>
    public Task<ForwardingResult> ForwardAsync(Socket client, CancellationToken cancellationToken = default) =>
        Forward(client, loop: null, cancellationToken);

    /// <summary>
    /// Forwards a connection <see cref="ForwarderListener"/> accepted on readiness loop <paramref name="loop"/> with
    /// <c>accept4</c>: <paramref name="client"/> is non-blocking and has TCP_NODELAY already (Linux copied it from the
    /// listener), and the connection stays on that loop (no thread switch between the accept and the first byte). The
    /// connection owns the handle from here on.
    /// </summary>
    /// <remarks>Nobody awaits the connection: it makes no task unless a drain asks for one.</remarks>
    internal void ForwardAccepted(DescriptorHandle client, EndPoint? localEndPoint, PeerAddress remote, EpollReadiness loop)
    {
        if (Volatile.Read(ref _disposed) != 0)
        {
            client.Dispose();
            throw new ObjectDisposedException(GetType().FullName);
        }

        Start(new ForwardedConnection(
            this,
            ReadinessSocketSide.ForDescriptor(loop, client),
            localEndPoint,
            remoteEndPoint: null,
            Interlocked.Increment(ref _nextConnectionId),
            CancellationToken.None,
            remote));
    }

    private Task<ForwardingResult> Forward(Socket client, EpollReadiness? loop, CancellationToken cancellationToken) =>
        Run(Create(client, loop, cancellationToken));

    private ForwardedConnection Create(Socket client, EpollReadiness? loop, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        return new ForwardedConnection(this, client, Interlocked.Increment(ref _nextConnectionId), cancellationToken, loop);
    }

    /// <summary>
    /// Forwards a client handed over as pipes (a host's connection, for example Kestrel connection middleware):
    /// the same stages, limits and telemetry as the socket path. Completing the client's output is the
    /// half-close; whether that reaches the client as a FIN depends on the host (Kestrel closes both ways).
    /// </summary>
    /// <param name="client">The client's transport: its input is what the client sent, its output goes back to it.</param>
    /// <param name="localEndPoint">The address the client connected to, when known (for PROXY headers and logs).</param>
    /// <param name="remoteEndPoint">The client's address, when known.</param>
    /// <param name="cancellationToken">Aborts the connection (<see cref="CloseCause.Canceled"/>).</param>
    public Task<ForwardingResult> ForwardAsync(IDuplexPipe client, EndPoint? localEndPoint, EndPoint? remoteEndPoint, CancellationToken cancellationToken = default) =>
        ForwardAsync(client, localEndPoint, remoteEndPoint, sniffed: null, cancellationToken);

    /// <summary>
    /// As <see cref="ForwardAsync(IDuplexPipe, EndPoint?, EndPoint?, CancellationToken)"/> for a client whose ClientHello
    /// the host already sniffed (its bytes still unread in the pipe): the engine routes on <paramref name="sniffed"/>
    /// instead of parsing the hello again.
    /// </summary>
    internal Task<ForwardingResult> ForwardAsync(IDuplexPipe client, EndPoint? localEndPoint, EndPoint? remoteEndPoint, SniffedClientHello? sniffed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        long id = Interlocked.Increment(ref _nextConnectionId);
        return Run(new ForwardedConnection(this, new PipeConnectionSide(client), localEndPoint, remoteEndPoint, id, cancellationToken) { Sniffed = sniffed });
    }

    /// <summary>Stops admitting connections, lets open ones finish for <see cref="ForwarderOptions.DrainTimeout"/>, then aborts the rest.</summary>
    public Task DrainAsync(CancellationToken cancellationToken = default) => DrainAsync(Settings.DrainTimeout, cancellationToken);

    /// <summary>
    /// Stops admitting connections; connections still sniffing, routing or connecting are closed at once; streaming
    /// ones may finish within <paramref name="timeout"/> (measured with the forwarder's <see cref="TimeProvider"/>),
    /// after which they are closed with <see cref="CloseCause.Drained"/>. Completes when every connection is closed.
    /// </summary>
    /// <remarks>
    /// A <paramref name="timeout"/> longer than <see cref="ForwarderOptions.MaxTimeout"/> (or
    /// <see cref="Timeout.InfiniteTimeSpan"/>) waits without a deadline. A connection registered while the drain
    /// runs (a socket accepted just before the drain began) is waited for too: the drain ends only when the
    /// forwarder holds no connection.
    /// </remarks>
    public async Task DrainAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        // A full fence: a connection registered after this either sees the flag (and is refused) or is in the table
        // the snapshots below read.
        bool alreadyDraining = Interlocked.Exchange(ref _draining, 1) != 0;
        if (!alreadyDraining || _connections.Count != 0)
        {
            // A second drain with nothing left (DisposeAsync after a host's drain) has nothing to say.
            ForwarderLog.Draining(Stages.Logger, _connections.Count, timeout);
        }

        AbortConnections(streamingToo: false);
        Task all = Task.WhenAll(_connections.Snapshot().Select(c => (Task)c.Completion));
        if (!all.IsCompleted && timeout != TimeSpan.Zero)
        {
            TimeSpan wait = timeout < TimeSpan.Zero || timeout > ForwarderOptions.MaxTimeout ? Timeout.InfiniteTimeSpan : timeout;
            Task delay = Task.Delay(wait, Stages.TimeProvider, cancellationToken);
            await Task.WhenAny(all, delay).ConfigureAwait(false);
        }

        bool expired = !all.IsCompleted;
        if (expired)
        {
            AbortConnections(streamingToo: true);
        }

        await all.ConfigureAwait(false);
        while (_connections.Count != 0)
        {
            // Registered after a snapshot: before the deadline only those not yet streaming are closed (a refused
            // or just-admitted one); past it, everything.
            AbortConnections(streamingToo: expired);
            await Task.WhenAll(_connections.Snapshot().Select(c => (Task)c.Completion)).ConfigureAwait(false);
        }
    }

    /// <summary>Drains with a zero timeout (aborting every connection), then stops the heartbeat.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await DrainAsync(TimeSpan.Zero).ConfigureAwait(false);
        await _heartbeat.DisposeAsync().ConfigureAwait(false);
        Stages.Metrics.Dispose();
    }

    /// <summary>Test hook: runs after a connection is registered and before the draining flag is read.</summary>
    internal Action? OnRegistered { get; set; }

    /// <summary>
    /// Completes when the forwarder holds fewer than <see cref="MaxConnections"/> connections (at once if it does
    /// now). <see cref="ForwarderListener"/> waits on it before accepting, so at the cap new clients stay in the
    /// listen backlog instead of being accepted and closed.
    /// </summary>
    internal Task WaitForCapacityAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _active) < Settings.MaxConnections)
        {
            return Task.CompletedTask;
        }

        var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        TaskCompletionSource? current = Interlocked.CompareExchange(ref _capacityWaiter, waiter, null) ?? waiter;

        // Checked again after publishing the waiter: a close that decremented before it was published is seen here;
        // one after it finds the waiter (both sides use full fences).
        if (Volatile.Read(ref _active) < Settings.MaxConnections)
        {
            // Unpublished first, so that a later wait does not find a completed waiter and spin on it.
            Interlocked.CompareExchange(ref _capacityWaiter, null, current);
            current.TrySetResult();
        }

        return current.Task.WaitAsync(cancellationToken);
    }

    private void AbortConnections(bool streamingToo)
    {
        foreach (ForwardedConnection connection in _connections.Snapshot())
        {
            if (streamingToo || connection.Context.Phase < ForwardingPhase.Streaming)
            {
                connection.Abort(CloseCause.Drained);
            }
        }
    }

    /// <summary>Starts <paramref name="connection"/> for a caller that awaits it: its task, or its <see cref="ForwardedConnection.Completion"/>.</summary>
    private Task<ForwardingResult> Run(ForwardedConnection connection) => Start(connection) ?? connection.Completion;

    /// <summary>Registers and starts <paramref name="connection"/>: its task, or null when only its <see cref="ForwardedConnection.Completion"/> can tell its end.</summary>
    private Task<ForwardingResult>? Start(ForwardedConnection connection)
    {
        // Registered before the draining flag is read, so a drain either refuses it or waits for it (see DrainAsync).
        _connections.Add(connection, static (slot, c) =>
        {
            Volatile.Write(ref c.TableSlot, slot);
            return c;
        });
        OnRegistered?.Invoke();
        CloseCause refusal = CloseCause.None;
        if (Interlocked.Increment(ref _active) > Settings.MaxConnections)
        {
            refusal = CloseCause.ConnectionLimit;
        }
        else if (IsDraining)
        {
            refusal = CloseCause.Drained;
        }

        return connection.Start(refusal);
    }

    /// <summary>Directions that switched from the copy to splice (<see cref="PumpMode.Auto"/>) since the forwarder was built.</summary>
    internal long SplicedDirections => Interlocked.Read(ref _splicedDirections);

    /// <summary>A direction of one of this forwarder's connections switched to splice.</summary>
    internal void OnDirectionSpliced() => Interlocked.Increment(ref _splicedDirections);

    /// <summary>The connection's sockets are closed and it is about to be reported: it no longer counts as active.</summary>
    internal void OnConnectionClosing()
    {
        Interlocked.Decrement(ref _active);
        if (Volatile.Read(ref _capacityWaiter) is not null && Interlocked.Exchange(ref _capacityWaiter, null) is { } waiter)
        {
            waiter.TrySetResult();
        }
    }

    /// <summary><paramref name="settings"/> with the connection cap and the splice pipe budget the descriptor limit allows.</summary>
    private ForwarderSettings WithDescriptorLimits(ForwarderSettings settings)
    {
        int cap = EffectiveMaxConnections(settings);
        int pipes = ProcessDescriptors.TryGetLimits(out long soft, out _)
            ? ProcessDescriptors.SplicePipeBudget(cap, soft, Math.Max(0, _descriptorReserve))
            : int.MaxValue;
        return settings with { MaxConnections = cap, SplicePipeBudget = pipes };
    }

    /// <summary>
    /// <paramref name="settings"/>' cap, lowered to what the soft descriptor limit holds beyond
    /// <see cref="_descriptorReserve"/> (the descriptors open when the forwarder was built, plus
    /// <see cref="DescriptorReserve"/>; counted once, so a reload does not count its own connections' descriptors).
    /// </summary>
    private int EffectiveMaxConnections(ForwarderSettings settings)
    {
        if (!ProcessDescriptors.TryGetLimits(out long soft, out _))
        {
            return settings.MaxConnections;
        }

        if (_descriptorReserve < 0)
        {
            _descriptorReserve = Math.Max(0, ProcessDescriptors.CountOpen()) + DescriptorReserve;
        }

        double perConnection = ProcessDescriptors.PerConnection(settings.Pump);
        int effective = ProcessDescriptors.ClampMaxConnections(settings.MaxConnections, perConnection, soft, _descriptorReserve);
        if (effective < settings.MaxConnections)
        {
            ForwarderLog.ConnectionCapClamped(Stages.Logger, settings.MaxConnections, effective, soft, perConnection, _descriptorReserve);
        }

        return effective;
    }

    /// <summary>
    /// The close has been reported to log, metrics and observers: only now may the connection leave the table
    /// a drain waits on, so a drain that begins while the close is being reported still waits for the report.
    /// </summary>
    internal void OnConnectionClosed(ForwardedConnection connection) => _connections.Remove(Volatile.Read(ref connection.TableSlot), connection);

    private void OnHeartbeat()
    {
        _connections.ForEach(Stages.TimeProvider.GetTimestamp(), static (connection, now) => connection.CheckTimeouts(now));
    }
}
