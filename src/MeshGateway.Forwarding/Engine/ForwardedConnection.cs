using System.Net.Sockets;
using System.Runtime.CompilerServices;

namespace MeshGateway.Forwarding;

/// <summary>
/// One connection through the engine: its sockets, its close reason (first cause wins), its activity clock for
/// the heartbeat, and the stage sequence. Split in path order: admit, sniff, route, connect, replay, pump,
/// teardown. The sides are <see cref="ConnectionSide"/>s: the engine calls their operations and never asks
/// which transport it holds.
/// </summary>
internal sealed partial class ForwardedConnection : IDisposable
{
    private const int NoneClosed = 0;
    private const int ClientClosedFirst = 1;
    private const int UpstreamClosedFirst = 2;

    private readonly TcpForwarder _forwarder;
    private readonly ForwarderSettings _settings;
    private readonly ForwarderStages _stages;
    private readonly ConnectionSide _client;
    /// <summary>
    /// Canceled by the teardown; made when a stage first asks for its token (<see cref="AbortToken"/>), so a connection
    /// that is silent, or whose stages never take a token, carries none.
    /// </summary>
    private CancellationTokenSource? _abort;
    private readonly CancellationTokenRegistration _callerRegistration;
    private readonly long _startTimestamp;
    private ConnectionSide? _upstream;

    /// <summary>The timeout source of the default connector's dial in progress; a teardown takes it and cancels it.</summary>
    private CancellationTokenSource? _dialTimeout;
    private byte[]? _held;
    private SocketPumpOperation? _toUpstream;
    private SocketPumpOperation? _toClient;
    private int _cause;
    private Exception? _error;
    private ForwardingPhase _closePhase;
    private long _lastActivity;
    private long _halfClosedAt;
    private long _routingStartedAt;
    private int _firstClosed;

    /// <summary>This connection's slot in its forwarder's table of held connections while it is held (written and read with <see cref="Volatile"/>: the close may run on another thread than the start).</summary>
    internal int TableSlot;

    /// <summary>
    /// <see cref="_completion"/> of a connection that finished while nobody had asked for its result (no observer, no
    /// waiter): <see cref="Completion"/> makes the result from the fields when asked later.
    /// </summary>
    private static readonly object FinishedUnasked = new();

    /// <summary>
    /// Null, the <see cref="TaskCompletionSource{TResult}"/> behind <see cref="Completion"/> once somebody asked for it, or,
    /// once the connection finished, the <see cref="ForwardingResult"/> or <see cref="FinishedUnasked"/>.
    /// </summary>
    private object? _completion;

    /// <summary>How long the connection lasted, set by <see cref="Finish"/>.</summary>
    private TimeSpan _duration;

    /// <summary>Directions whose source's FIN was read and passed on as a FIN to the destination (0 to 2).</summary>
    private int _finishedDirections;

    /// <summary>
    /// True while the connection's continuations run on its readiness loop's thread: from the start when every
    /// stage is an <see cref="INonBlockingStage"/>, until a stage that is not one is about to be called
    /// (<see cref="LeaveLoopAsync"/>). The pumps run on the loop either way.
    /// </summary>
    private bool _onLoop;

    /// <param name="forwarder">The engine.</param>
    /// <param name="client">The accepted socket.</param>
    /// <param name="id">The connection id.</param>
    /// <param name="cancellationToken">Aborts the connection.</param>
    /// <param name="loop">The readiness loop to wait on, if one is chosen already.</param>
    public ForwardedConnection(TcpForwarder forwarder, Socket client, long id, CancellationToken cancellationToken, EpollReadiness? loop = null)
        : this(forwarder, SocketConnectionSide.ForAccepted(forwarder.Settings, client, loop), SafeLocalEndPoint(client), SafeRemoteEndPoint(client), id, cancellationToken)
    {
        TrySetNoDelay(client);
    }

    public ForwardedConnection(
        TcpForwarder forwarder,
        ConnectionSide client,
        System.Net.EndPoint? localEndPoint,
        System.Net.EndPoint? remoteEndPoint,
        long id,
        CancellationToken cancellationToken,
        PeerAddress remotePeer = default)
    {
        _forwarder = forwarder;
        _settings = forwarder.Settings;
        _stages = forwarder.Stages;
        _client = client;
        _startTimestamp = _stages.TimeProvider.GetTimestamp();
        _lastActivity = _startTimestamp;
        Context = new ForwardingContext(id, localEndPoint, remoteEndPoint, remotePeer, this);
        _onLoop = _stages.RunsOnLoop && (_settings.RouteResolver is null or INonBlockingStage);
        _client.SetInlineCompletions(_onLoop);
        if (cancellationToken.CanBeCanceled)
        {
            _callerRegistration = cancellationToken.UnsafeRegister(static s => ((ForwardedConnection)s!).Abort(CloseCause.Canceled), this);
        }
    }

    public ForwardingContext Context { get; }

    /// <summary>
    /// A ClientHello the host already sniffed (its bytes unread in the client's input): the engine does not sniff
    /// again, holds nothing, and routes on it.
    /// </summary>
    public SniffedClientHello? Sniffed { get; init; }

    /// <summary>
    /// Completes with the result once the connection is closed and reported. Made on first use (a drain, or a caller of
    /// <see cref="TcpForwarder.ForwardAsync(Socket, CancellationToken)"/>): a connection nobody waits on makes no task.
    /// </summary>
    public Task<ForwardingResult> Completion
    {
        get
        {
            while (true)
            {
                switch (Volatile.Read(ref _completion))
                {
                    case ForwardingResult result:
                        return Task.FromResult(result);
                    case var finished when ReferenceEquals(finished, FinishedUnasked):
                        return Task.FromResult(MakeResult());
                    case TaskCompletionSource<ForwardingResult> waiting:
                        return waiting.Task;
                    default:
                        var made = new TaskCompletionSource<ForwardingResult>(TaskCreationOptions.RunContinuationsAsynchronously);
                        if (Interlocked.CompareExchange(ref _completion, made, null) is null)
                        {
                            return made.Task;
                        }

                        break;
                }
            }
        }
    }

    private CloseCause Cause => (CloseCause)Volatile.Read(ref _cause);

    /// <summary>
    /// Starts the connection: on the own readiness loop's callbacks when every stage allows it
    /// (<see cref="RunsOnLoopCallbacks"/>), otherwise as an async method. Returns that method's task, or null when the
    /// connection runs on callbacks or is already closed (a refusal): then only <see cref="Completion"/>, made on
    /// demand, tells when it ends, and a caller that does not ask (the listener) makes no task at all.
    /// </summary>
    public Task<ForwardingResult>? Start(CloseCause refusal)
    {
        _stages.Metrics.ConnectionOpened();
        if (_stages.Logger.IsEnabled(Microsoft.Extensions.Logging.LogLevel.Debug))
        {
            // Only then: the peer's endpoint is made when first asked for.
            ForwarderLog.Accepted(_stages.Logger, Context.ConnectionId, Context.RemoteEndPoint);
        }

        Notify(static (o, c) => o.OnAccepted(c));
        if (refusal != CloseCause.None)
        {
            Refuse(refusal);
            Finish();
            return null;
        }

        if (RunsOnLoopCallbacks)
        {
            StartOnLoop();
            return null;
        }

        return RunStagesAsync(Stage.Admit, heldLength: 0, pendingRoute: default, picked: null);
    }

    /// <summary>
    /// Runs the stages from <paramref name="from"/> to the close as one async method: the whole path when the
    /// connection cannot run on loop callbacks, or the rest of it when a stage of the callback path could not complete
    /// without waiting on something other than a socket (a route resolver that answered asynchronously, a selector or
    /// connector that is user code, a pump that is not the readiness copy).
    /// </summary>
    /// <param name="from">The first stage to run.</param>
    /// <param name="heldLength">The sniffed bytes held in <see cref="_held"/> (from <see cref="Stage.Route"/> on).</param>
    /// <param name="pendingRoute">From <see cref="Stage.Route"/>: the resolver's answer, still pending.</param>
    /// <param name="picked">From <see cref="Stage.Connect"/>: the endpoint already picked for the current attempt, if any.</param>
    private async Task<ForwardingResult> RunStagesAsync(Stage from, int heldLength, ValueTask<ForwardRoute?> pendingRoute, UpstreamEndpoint? picked)
    {
        try
        {
            if (from == Stage.Admit)
            {
                if (!await AdmitAsync().ConfigureAwait(false))
                {
                    return FinishWithResult();
                }

                Context.Phase = ForwardingPhase.Sniffing;
                if (Sniffed is not null)
                {
                    Context.ClientHello = Sniffed;
                    Context.SniffStatus = MeshGateway.ClientHello.ClientHelloStatus.Done;
                }
                else if (_stages.ParserOptions is { } parserOptions)
                {
                    // What already arrived first (a client sends its hello right behind the handshake, so under load it
                    // is usually there at accept), then readiness, in this method's own state machine: a silent
                    // connection holds nothing more.
                    heldLength = ReceiveFirstBytes();
                    if (heldLength == 0)
                    {
                        if (await WaitForFirstBytesAsync().ConfigureAwait(false) < 0)
                        {
                            AbortOnSocketError(CloseCause.ClientReset, _client, _toUpstream);
                            return FinishWithResult();
                        }

                        heldLength = ReceiveFirstBytes();
                    }

                    if (heldLength >= 0)
                    {
                        heldLength = await SniffAsync(parserOptions, heldLength).ConfigureAwait(false);
                    }
                }

                if (heldLength < 0)
                {
                    return FinishWithResult();
                }

                pendingRoute = StartRoute();
                from = Stage.Route;
            }

            if (from == Stage.Route && !await RouteAsync(pendingRoute).ConfigureAwait(false))
            {
                return FinishWithResult();
            }

            if (from <= Stage.Connect)
            {
                if (!await ConnectAsync(picked).ConfigureAwait(false) || !await ReplayAsync(heldLength).ConfigureAwait(false))
                {
                    return FinishWithResult();
                }

                StartStreaming();
            }

            await PumpAsync().ConfigureAwait(false);
            return FinishWithResult();
        }
        catch (Exception error)
        {
            FailUnexpectedly(error);
            return FinishWithResult();
        }
        finally
        {
            ReturnHeld();
        }
    }

    /// <summary>The held hello is replayed: gives its buffer back, and the connection streams from now on.</summary>
    private void StartStreaming()
    {
        ReturnHeld();
        Context.Phase = ForwardingPhase.Streaming;
        Touch();
        Notify(static (o, c) => o.OnStreaming(c));
    }

    /// <summary>
    /// An exception escaped a stage: explained already when a teardown made a pending operation fail; a transport
    /// failure outside the pumps (sniff read, replay send) is a reset by whoever was being talked to; anything else is
    /// a bug, closed with <see cref="CloseCause.InternalError"/>.
    /// </summary>
    private void FailUnexpectedly(Exception error)
    {
        if (Cause != CloseCause.None)
        {
            return;
        }

        if (error is SocketException or IOException)
        {
            bool fromClient = Context.Phase < ForwardingPhase.Connecting || Volatile.Read(ref _upstream) is null;
            Abort(ResetBy(client: fromClient), error, reset: true);
            return;
        }

        ForwarderLog.UnexpectedError(_stages.Logger, Context.ConnectionId, error);
        Abort(CloseCause.InternalError, error, reset: true);
    }

    /// <summary>Releases the abort token source; called once by <c>Finish</c>.</summary>
    public void Dispose() => Volatile.Read(ref _abort)?.Dispose();

    /// <summary>
    /// The token a teardown cancels (<see cref="ForwardingContext.Aborted"/>, the filters', resolvers' and connectors'
    /// token). Its source is made on first use; one made after the teardown set its cause is canceled here. The cause
    /// and the source are both published with full fences, so either the teardown sees the source or this sees the
    /// cause.
    /// </summary>
    internal CancellationToken AbortToken
    {
        get
        {
            CancellationTokenSource? source = Volatile.Read(ref _abort);
            if (source is null)
            {
                var made = new CancellationTokenSource();
                source = Interlocked.CompareExchange(ref _abort, made, null) ?? made;
                if (source != made)
                {
                    made.Dispose();
                }
                else if (Cause != CloseCause.None)
                {
                    made.Cancel();
                }
            }

            try
            {
                return source.Token;
            }
            catch (ObjectDisposedException)
            {
                return new CancellationToken(canceled: true);   // asked after the connection finished
            }
        }
    }

    /// <summary>True once the teardown canceled the abort token (false while nobody asked for one: nothing waits on it).</summary>
    private bool AbortRequested => Volatile.Read(ref _abort)?.IsCancellationRequested ?? false;

    /// <summary>Closes the connection for <paramref name="cause"/> unless it already has a cause. Safe from any thread.</summary>
    public void Abort(CloseCause cause) => Abort(cause, error: null, reset: false);

    /// <summary>Called by the engine heartbeat: applies the sniff, idle and half-closed timeouts.</summary>
    public void CheckTimeouts(long now)
    {
        TimeProvider time = _stages.TimeProvider;
        switch (Context.Phase)
        {
            case ForwardingPhase.Admission or ForwardingPhase.Sniffing:
                if (time.GetElapsedTime(_startTimestamp, now) >= _settings.SniffTimeout)
                {
                    Abort(CloseCause.SniffTimeout);
                }

                break;
            case ForwardingPhase.Routing:
                if (time.GetElapsedTime(Volatile.Read(ref _routingStartedAt), now) >= _settings.RouteTimeout)
                {
                    Abort(CloseCause.RouteTimeout);
                }

                break;
            case ForwardingPhase.Streaming:
                if (time.GetElapsedTime(Volatile.Read(ref _lastActivity), now) >= _settings.IdleTimeout)
                {
                    Abort(CloseCause.IdleTimeout);
                }

                break;
            case ForwardingPhase.HalfClosed:
                long since = Math.Max(Volatile.Read(ref _lastActivity), Volatile.Read(ref _halfClosedAt));
                if (time.GetElapsedTime(since, now) >= _settings.HalfClosedTimeout)
                {
                    Abort(CloseCause.HalfClosedTimeout);
                }
                else if (time.GetElapsedTime(Volatile.Read(ref _lastActivity), now) >= _settings.IdleTimeout)
                {
                    Abort(CloseCause.IdleTimeout);
                }

                break;
        }
    }

    /// <summary>
    /// Before a stage that is not an <see cref="INonBlockingStage"/> is called: the connection's continuations go to the
    /// thread pool from now on (until a pump), and if this is a loop thread the rest of the work moves off it.
    /// </summary>
    private async ValueTask LeaveLoopAsync()
    {
        _onLoop = false;
        _client.SetInlineCompletions(false);
        Volatile.Read(ref _upstream)?.SetInlineCompletions(false);
        if (EpollReadiness.OnLoopThread)
        {
            await Task.Yield();
        }
    }

    /// <summary>The close cause when the client's socket (<paramref name="client"/>) or the upstream's failed.</summary>
    private static CloseCause ResetBy(bool client) => client ? CloseCause.ClientReset : CloseCause.UpstreamReset;

    private void Touch() => Volatile.Write(ref _lastActivity, _stages.TimeProvider.GetTimestamp());

    private bool TrySetCause(CloseCause cause, Exception? error)
    {
        if (Interlocked.CompareExchange(ref _cause, (int)cause, (int)CloseCause.None) != (int)CloseCause.None)
        {
            return false;
        }

        _error = error;
        _closePhase = Context.Phase;
        return true;
    }

    private void Notify(Action<IForwarderObserver, ForwardingContext> callback)
    {
        foreach (IForwarderObserver observer in _stages.Observers)
        {
            try
            {
                callback(observer, Context);
            }
#pragma warning disable CA1031 // An observer must never break the connection it observes.
            catch (Exception error)
#pragma warning restore CA1031
            {
                ForwarderLog.ObserverFailed(_stages.Logger, observer.GetType().Name, error);
            }
        }
    }

    private static System.Net.EndPoint? SafeLocalEndPoint(Socket socket)
    {
        try
        {
            return socket.LocalEndPoint;
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            return null;
        }
    }

    private static System.Net.EndPoint? SafeRemoteEndPoint(Socket socket)
    {
        try
        {
            return socket.RemoteEndPoint;
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            return null;
        }
    }

    private static void TrySetNoDelay(Socket socket)
    {
        try
        {
            socket.NoDelay = true;
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // The client is already gone; the first read will say so.
        }
    }
}
