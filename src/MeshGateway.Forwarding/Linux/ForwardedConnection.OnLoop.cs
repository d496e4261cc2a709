using System.Net;
using System.Runtime.CompilerServices;
using MeshGateway.ClientHello;

namespace MeshGateway.Forwarding;

/// <summary>
/// The connection's path on the readiness loop's callbacks (the Linux default): sniff → route → dial → replay → pump
/// as steps of this object, each run until it must wait for a socket, which arms a one-shot wait whose callback runs
/// the next step. No async method, no task and no pooled box per connection or per stage: what a connection is
/// between two events is these fields. A stage that has to wait on something other than a socket (a resolver that
/// answered asynchronously, a selector, preamble or connector that is user code, a pump that is not the readiness
/// copy) hands the rest to <see cref="RunStagesAsync"/>, which runs the same stages as async methods.
/// </summary>
/// <remarks>
/// At any time exactly one of these owns the connection's flow: the step running, or the one wait it armed (whose
/// callback runs exactly once: when the socket is ready, or with -EBADF when a teardown closes it), or the pump's two
/// directions, the last of which finishes. Arming a wait is each step's last act, since its callback may run on the
/// loop thread at once.
/// </remarks>
internal sealed partial class ForwardedConnection
{
    private static readonly Action<object?> SniffReady = static state => ((ForwardedConnection)state!).OnSniffReady();

    private static readonly Action<object?> DialReady = static state => ((ForwardedConnection)state!).OnDialReady();

    private static readonly Action<object?> ReplayReady = static state => ((ForwardedConnection)state!).OnReplayReady();

    private static readonly Action<object?> DialTimedOut = static state => ((ReadinessSocketSide)state!).AbandonWaits();

    /// <summary>
    /// The parser's state between two reads of a hello that did not arrive in one: boxed only then, so a connection
    /// that is silent or whose hello came whole carries none.
    /// </summary>
    private StrongBox<ClientHelloParserState>? _sniffPending;

    /// <summary>Bytes held in <see cref="_held"/>: read so far while sniffing, the hello to replay after.</summary>
    private int _heldLength;

    /// <summary>True once the held buffer grew past its first size (<see cref="GrowHeld"/>).</summary>
    private bool _sniffGrown;

    /// <summary>
    /// The dial's and the replay's state, taken when the connection starts connecting (a silent one carries none) and,
    /// once the replay is sent on the loop, given back to the loop thread's pool (<see cref="ReleaseDial"/>).
    /// </summary>
    private DialState? _dial;

    private DialState Dial => _dial ??= LoopLocalPool<DialState>.Rent() ?? new DialState();

    /// <summary>Where <see cref="RunStagesAsync"/> starts: the stages in path order.</summary>
    private enum Stage
    {
        Admit,
        Route,
        Connect,
        Pump,
    }

    /// <summary>
    /// True when the whole path can run on loop callbacks: every stage may run on the loop (<see cref="_onLoop"/>), the
    /// client is a socket on the own loop, no host sniffed for the engine, no connection filter runs, and waits are
    /// zero-byte (readiness, no buffer held).
    /// </summary>
    private bool RunsOnLoopCallbacks =>
        _onLoop
        && _client is ReadinessSocketSide
        && Sniffed is null
        && _stages.Filters.Length == 0
        && _settings.UseZeroByteReads;

    private ReadinessSocketSide LoopClient => (ReadinessSocketSide)_client;

    /// <summary>The first step: sniffs what already arrived (a client sends its hello right behind the handshake), else waits for it.</summary>
    private void StartOnLoop()
    {
        try
        {
            Context.Phase = ForwardingPhase.Sniffing;
            if (_stages.ParserOptions is not null)
            {
                SniffOnLoop();
            }
            else
            {
                RouteOnLoop();   // sniffing off: routed on the addresses alone, nothing held to replay
            }
        }
#pragma warning disable CA1031 // A step's failure closes this connection (explained), never the loop.
        catch (Exception error)
#pragma warning restore CA1031
        {
            FailOnLoop(error);
        }
    }

    /// <summary>
    /// Reads what the client has sent (never waiting) and parses it, until the parser decides or nothing more is there
    /// (then it waits for readability, holding only what it read). The same reads, limits, buffer sizes and outcomes
    /// as <see cref="SniffAsync"/>: nothing held before the first byte, the buffer rented at the size that arrived and
    /// grown as the parser asks, at most <see cref="ForwarderOptions.MaxClientHelloBytes"/>.
    /// </summary>
    private void SniffOnLoop()
    {
        int budget = _settings.MaxClientHelloBytes;
        int filled = _heldLength;
        ClientHelloParserState state = _sniffPending is { } pending ? pending.Value : new ClientHelloParserState(_stages.ParserOptions);
        while (true)
        {
            if (_held is null)
            {
                filled = ReceiveFirstBytes();
                if (filled <= 0)
                {
                    if (filled == 0)
                    {
                        WaitOnLoop(LoopClient, write: false, SniffReady, CloseCause.ClientReset);
                    }
                    else
                    {
                        Finish();
                    }

                    return;
                }
            }
            else
            {
                int read = _client.TryReceive(_held.AsMemory(filled, Math.Min(_held.Length, budget) - filled));
                if (read == ConnectionSide.NothingYet)
                {
                    _heldLength = filled;
                    (_sniffPending ??= new StrongBox<ClientHelloParserState>()).Value = state;
                    WaitOnLoop(LoopClient, write: false, SniffReady, CloseCause.ClientReset);
                    return;
                }

                if (ClosedBeforeHello(read))
                {
                    Finish();
                    return;
                }

                filled += read;
            }

            SniffOutcome outcome = ParseHeld(filled, ref state, ref _sniffGrown);
            if (outcome == SniffOutcome.ReadMore)
            {
                continue;
            }

            _heldLength = filled;
            _sniffPending = null;
            if (outcome == SniffOutcome.Refused)
            {
                Finish();
                return;
            }

            RouteOnLoop();
            return;
        }
    }

    private void OnSniffReady()
    {
        try
        {
            if (WaitSucceeded(LoopClient, write: false, CloseCause.ClientReset))
            {
                SniffOnLoop();
            }
        }
#pragma warning disable CA1031 // A step's failure closes this connection (explained), never the loop.
        catch (Exception error)
#pragma warning restore CA1031
        {
            FailOnLoop(error);
        }
    }

    /// <summary>Asks the resolver; an answer not there at once is awaited by <see cref="RunStagesAsync"/>, which runs the rest.</summary>
    private void RouteOnLoop()
    {
        ValueTask<ForwardRoute?> pending = StartRoute();
        if (!pending.IsCompleted)
        {
            _ = RunStagesAsync(Stage.Route, _heldLength, pending, picked: null);
            return;
        }

        if (!Routed(pending.Result))
        {
            Finish();
            return;
        }

        Context.Phase = ForwardingPhase.Connecting;
        UpstreamCluster cluster = Context.Route!.Cluster;
        if (!DialsOnLoop(cluster) || _stages.UpstreamTransport is not null || _stages.Connector is not SocketUpstreamConnector)
        {
            _ = RunStagesAsync(Stage.Connect, _heldLength, pendingRoute: default, picked: null);
            return;
        }

        DialOnLoop(cluster);
    }

    /// <summary>
    /// The attempts of <see cref="ConnectAsync"/> on the loop: each picks an endpoint not tried yet and starts a
    /// non-blocking connect; one in progress waits for writability under <see cref="ForwarderOptions.ConnectTimeout"/>
    /// (<see cref="OnDialReady"/> goes on). An endpoint with no native address (a host name) is dialed by the
    /// connector, through <see cref="RunStagesAsync"/>.
    /// </summary>
    private void DialOnLoop(UpstreamCluster cluster)
    {
        int attempts = _settings.MaxConnectAttempts;
        for (int attempt = Context.ConnectAttempts + 1; attempt <= attempts; attempt++)
        {
            UpstreamEndpoint? endpoint = Pick(cluster, attempt);
            if (endpoint is null)
            {
                break;
            }

            if (Cause != CloseCause.None)
            {
                Finish();
                return;
            }

            long started = _stages.TimeProvider.GetTimestamp();
            ReadinessSocketSide? side = null;
            Exception? error = null;
            int errno = 0;
            if (endpoint.EndPoint is IPEndPoint ip)
            {
                try
                {
                    side = ReadinessSocketSide.BeginConnect(LoopClient.Loop, ip, inline: true, out errno);
                }
#pragma warning disable CA1031 // Any connect failure means "try the next endpoint"; it is reported, not swallowed.
                catch (Exception failure)
#pragma warning restore CA1031
                {
                    error = failure;   // no socket could be made (EMFILE, for one): this attempt failed
                }
            }

            if (side is null && error is null)
            {
                _ = RunStagesAsync(Stage.Connect, _heldLength, pendingRoute: default, picked: endpoint);
                return;
            }

            int replayed = 0;
            if (side is not null && errno == LinuxSockets.EInProgress)
            {
                int sent = SendBehindConnect(side, endpoint);
                if (sent == -LinuxSockets.EAgain)
                {
                    WaitForDial(side, endpoint, started);
                    return;
                }

                // Established (the hello's first bytes are sent), or refused as a failed wait would have said.
                errno = sent < 0 ? -sent : 0;
                replayed = Math.Max(sent, 0);
            }

            if (side is not null && errno != 0)
            {
                side.Dispose();
                side = null;
                error = LinuxSockets.ToException(errno);
            }

            if (Went(Dialed(endpoint, attempt, started, side, error), replayed))
            {
                return;
            }
        }

        RefuseUnconnected(cluster);
        Finish();
    }

    /// <summary>
    /// Right behind a connect(2) that said EINPROGRESS, tries the replay's first send: to a peer on this host (loopback,
    /// a local network namespace) the kernel has usually run the whole handshake inside the call, and then this send
    /// both proves the connection and sends the hello, with no writability wait (no <c>epoll_ctl</c>, no loop wake-up,
    /// no timeout armed). TCP sends no data before the handshake ends (RFC 9293 §3.10.2: a SEND in SYN-SENT is queued
    /// until ESTABLISHED; Linux's non-blocking send answers EAGAIN instead of queuing), so a connection still in
    /// progress answers -EAGAIN and the caller waits as before. That costs a system call, so the endpoint remembers how
    /// its last try went and a far one is tried again only every <see cref="UpstreamEndpoint.SendBehindConnectBackoff"/>
    /// dials. Not tried with a preamble or with nothing to replay. Returns the bytes sent, -EAGAIN (in progress, or not
    /// tried) or -errno (the connect failed).
    /// </summary>
    private int SendBehindConnect(ReadinessSocketSide side, UpstreamEndpoint endpoint)
    {
        if (_heldLength == 0 || _held is null || Context.Route!.Cluster.Preamble is not null || !endpoint.TakeSendBehindConnectTurn())
        {
            return -LinuxSockets.EAgain;
        }

        int sent = side.Send(_held.AsMemory(0, _heldLength));
        endpoint.SentBehindConnect(established: sent != -LinuxSockets.EAgain);
        return sent;
    }

    /// <summary>
    /// Waits for <paramref name="side"/>'s connect: a reused timeout source (<see cref="DialTimeouts"/>) abandons the
    /// wait when it fires, and a teardown cancels it (<see cref="_dialTimeout"/>), as in <see cref="DialOwnAsync"/>.
    /// </summary>
    private void WaitForDial(ReadinessSocketSide side, UpstreamEndpoint endpoint, long started)
    {
        Dial.Socket = side;
        Dial.Endpoint = endpoint;
        Dial.Started = started;
        CancellationTokenSource timeout = StartDialTimeout();
        if (Cause != CloseCause.None)
        {
            EndDial();
            side.Dispose();
            Finish();
            return;
        }

        // A timeout that fired already abandons the wait here and now: the wait below then fails at once.
        Dial.Cancel = timeout.Token.UnsafeRegister(DialTimedOut, side);
        int armed = side.WaitReady(write: true, DialReady, this);
        if (armed < 0)
        {
            DialDone(armed);
        }
    }

    private void OnDialReady()
    {
        try
        {
            DialDone(Dial.Socket!.TakeWaitResult(write: true));
        }
#pragma warning disable CA1031 // A step's failure closes this connection (explained), never the loop.
        catch (Exception error)
#pragma warning restore CA1031
        {
            FailOnLoop(error);
        }
    }

    /// <summary>The dial's wait ended with <paramref name="waitResult"/> (0 or -errno): connected, timed out, refused, or torn down.</summary>
    private void DialDone(int waitResult)
    {
        ReadinessSocketSide? side = Dial.Socket!;
        UpstreamEndpoint endpoint = Dial.Endpoint!;
        bool timedOut = EndDial();
        if (Cause != CloseCause.None)
        {
            side.Dispose();
            Finish();
            return;
        }

        Exception? error = null;
        if (timedOut)
        {
            error = TimedOut(endpoint);
        }
        else if (waitResult < 0)
        {
            error = LinuxSockets.ToException(-waitResult);
        }
        else if (side.EndConnect() is var errno and not 0)
        {
            error = LinuxSockets.ToException(errno);
        }

        if (error is not null)
        {
            side.Dispose();
            side = null;
        }

        if (!Went(Dialed(endpoint, Context.ConnectAttempts, Dial.Started, side, error), replayed: 0))
        {
            DialOnLoop(Context.Route!.Cluster);
        }
    }

    /// <summary>
    /// Acts on an attempt's outcome: a connected upstream gets the replay (the rest of it, when the first
    /// <paramref name="replayed"/> bytes went behind the connect), a torn-down connection finishes. False for a failed
    /// attempt: the caller tries the next endpoint.
    /// </summary>
    private bool Went(DialOutcome outcome, int replayed)
    {
        switch (outcome)
        {
            case DialOutcome.Connected:
                ReplayOnLoop(replayed);
                return true;
            case DialOutcome.Closed:
                Finish();
                return true;
            default:
                return false;
        }
    }

    /// <summary>
    /// Ends the dial's wait: stops its timeout (reused unless it fired; a teardown that took it canceled it) and
    /// forgets the socket, which the caller now owns. True when the timeout fired.
    /// </summary>
    private bool EndDial()
    {
        Dial.Socket = null;
        Dial.Endpoint = null;
        Dial.Cancel.Dispose();   // waits for a timeout callback running on another thread; returns at once inside it
        Dial.Cancel = default;
        return EndDialTimeout();
    }

    /// <summary>
    /// Sends [preamble][held bytes] upstream in one send, as <see cref="ReplayAsync"/> does, waiting for writability
    /// when the upstream cannot take it all at once; then the connection streams.
    /// </summary>
    private void ReplayOnLoop(int replayed)
    {
        Dial.ReplaySent = replayed;
        Dial.ReplayLength = _heldLength;
        if (Context.Route!.Cluster.Preamble is { } preamble)
        {
            Dial.Replay = RentFirstSend(preamble, _heldLength, out Dial.ReplayLength);
        }

        SendReplay();
    }

    private void SendReplay()
    {
        var upstream = (ReadinessSocketSide)_upstream!;
        byte[]? data = Dial.Replay ?? _held;
        while (Dial.ReplaySent < Dial.ReplayLength)
        {
            int sent = upstream.Send(data.AsMemory(Dial.ReplaySent, Dial.ReplayLength - Dial.ReplaySent));
            if (sent == -LinuxSockets.EAgain)
            {
                WaitOnLoop(upstream, write: true, ReplayReady, CloseCause.UpstreamReset);
                return;
            }

            if (sent < 0)
            {
                upstream.Failed(sent);
                ReturnReplay();
                AbortOnSocketError(CloseCause.UpstreamReset, upstream, operation: null);
                Finish();
                return;
            }

            Dial.ReplaySent += sent;
        }

        ReturnReplay();
        ReleaseDial();
        Interlocked.Add(ref Context.BytesFromClientCounter, _heldLength);
        StartStreaming();
        PumpOnLoop();
    }

    /// <summary>
    /// The replay is sent: nothing reads the dial's state any more (its socket is the upstream, its timeout ended, its
    /// failures were reported), so it goes back to the loop thread's pool for the next connection's dial.
    /// </summary>
    private void ReleaseDial()
    {
        if (_dial is { } dial)
        {
            _dial = null;
            dial.Clear();
            LoopLocalPool<DialState>.Return(dial);
        }
    }

    private void OnReplayReady()
    {
        try
        {
            if (WaitSucceeded((ReadinessSocketSide)_upstream!, write: true, CloseCause.UpstreamReset))
            {
                SendReplay();
            }
        }
#pragma warning disable CA1031 // A step's failure closes this connection (explained), never the loop.
        catch (Exception error)
#pragma warning restore CA1031
        {
            FailOnLoop(error);
        }
    }

    private void ReturnReplay()
    {
        if (_dial?.Replay is { } replay)
        {
            _dial.Replay = null;
            _stages.Buffers.Return(replay);
        }
    }

    /// <summary>
    /// Starts the readiness copy, whose end finishes the connection (<see cref="EndDirection"/>); the kernel splice
    /// pump runs through <see cref="RunStagesAsync"/>.
    /// </summary>
    private void PumpOnLoop()
    {
        ConnectionSide upstream = _upstream!;
        if (SplicesFromStart(upstream) || upstream is not ReadinessSocketSide readinessUpstream)
        {
            _ = RunStagesAsync(Stage.Pump, heldLength: 0, pendingRoute: default, picked: null);
            return;
        }

        _client.SetInlineCompletions(inline: true);
        upstream.SetInlineCompletions(inline: true);
        StartCopy(LoopClient, readinessUpstream, awaited: false);
    }

    /// <summary>Both directions of the readiness copy are done: the connection closes for whichever side finished first.</summary>
    private void ClosePumped() =>
        Abort(Volatile.Read(ref _firstClosed) == UpstreamClosedFirst ? CloseCause.UpstreamClosed : CloseCause.ClientClosed, error: null, reset: false);

    /// <summary>
    /// Arms a one-shot wait on <paramref name="side"/> whose callback is the next step; when it cannot be armed (the
    /// side was closed by a teardown, or the loop failed) the connection closes here with <paramref name="failure"/>.
    /// </summary>
    private void WaitOnLoop(ReadinessSocketSide side, bool write, Action<object?> next, CloseCause failure)
    {
        int armed = side.WaitReady(write, next, this);
        if (armed < 0)
        {
            side.Failed(armed);
            AbortOnSocketError(failure, side, operation: null);
            Finish();
        }
    }

    /// <summary>In a wait's callback: true when the wait ended ready; otherwise the connection is closed here (with <paramref name="failure"/> unless a teardown explains it).</summary>
    private bool WaitSucceeded(ReadinessSocketSide side, bool write, CloseCause failure)
    {
        int result = side.TakeWaitResult(write);
        if (result >= 0)
        {
            return true;
        }

        side.Failed(result);
        AbortOnSocketError(failure, side, operation: null);
        Finish();
        return false;
    }

    /// <summary>
    /// A dial in progress on the loop (its socket, endpoint, start and timeout registration), the replay's buffer and
    /// progress, and the endpoints that failed so far.
    /// </summary>
    private sealed class DialState
    {
        public ReadinessSocketSide? Socket;
        public UpstreamEndpoint? Endpoint;
        public long Started;
        public CancellationTokenRegistration Cancel;

        /// <summary>The rented [preamble][hello] buffer while it is replayed (null: the hello is sent from the held buffer).</summary>
        public byte[]? Replay;
        public int ReplaySent;
        public int ReplayLength;

        /// <summary>The endpoints whose dial failed, in attempt order, and why: made on the first failure only.</summary>
        public UpstreamEndpoint[]? Tried;
        public List<(UpstreamEndpoint Endpoint, Exception Error)>? Failures;

        /// <summary>Forgets everything, as a new one (before it goes back to the pool: it keeps nothing of the connection alive).</summary>
        public void Clear()
        {
            Socket = null;
            Endpoint = null;
            Started = 0;
            Cancel = default;
            Replay = null;
            ReplaySent = 0;
            ReplayLength = 0;
            Tried = null;
            Failures = null;
        }
    }

    /// <summary>A step threw: closes the connection as <see cref="RunStagesAsync"/> does for an exception, after freeing what the step held.</summary>
    private void FailOnLoop(Exception error)
    {
        FailUnexpectedly(error);
        if (_dial?.Socket is { } dialing)
        {
            EndDial();
            dialing.Dispose();
        }

        ReturnReplay();
        Finish();
    }
}
