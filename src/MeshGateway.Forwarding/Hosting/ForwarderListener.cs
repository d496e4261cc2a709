using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace MeshGateway.Forwarding;

/// <summary>
/// The standalone accept loop: binds a TCP end point and hands every accepted socket to a
/// <see cref="TcpForwarder"/>. <see cref="StopAsync"/> stops accepting and drains the forwarder. At the forwarder's
/// <see cref="TcpForwarder.MaxConnections"/> it stops accepting until a connection closes (clients wait in the
/// listen backlog); transient accept failures are survived (see <see cref="Completion"/>).
/// </summary>
public sealed class ForwarderListener : IAsyncDisposable
{
    private readonly TcpForwarder _forwarder;
    private readonly Socket _socket;
    /// <summary>Transient accept failures are logged at most once per this interval (the others are counted).</summary>
    internal static readonly TimeSpan AcceptErrorReportInterval = TimeSpan.FromSeconds(10);

    private readonly CancellationTokenSource _stopping = new();
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _acceptLoop = Task.CompletedTask;
    private int _stopped;

    /// <summary>Creates a listener for <paramref name="endPoint"/> (port 0 picks a free port; see <see cref="LocalEndPoint"/>).</summary>
    public ForwarderListener(TcpForwarder forwarder, IPEndPoint endPoint)
    {
        ArgumentNullException.ThrowIfNull(forwarder);
        ArgumentNullException.ThrowIfNull(endPoint);
        _forwarder = forwarder;
        _socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        EndPoint = endPoint;
    }

    /// <summary>The end point asked for.</summary>
    public IPEndPoint EndPoint { get; }

    /// <summary>The bound end point once <see cref="Start"/> has run (with the real port when 0 was asked).</summary>
    public IPEndPoint? LocalEndPoint => _socket.IsBound ? (IPEndPoint?)_socket.LocalEndPoint : null;

    /// <summary>
    /// The accept call; tests replace it to inject accept failures (EMFILE and the like) deterministically. When it is
    /// not replaced and the forwarder runs its own readiness loops (Linux), the listener waits on a loop instead
    /// (see <see cref="AcceptOnLoopAsync"/>).
    /// </summary>
    internal Func<Socket, CancellationToken, ValueTask<Socket>> Accept { get; set; } = RuntimeAccept;

    private static readonly Func<Socket, CancellationToken, ValueTask<Socket>> RuntimeAccept = static (socket, token) => socket.AcceptAsync(token);

    /// <summary>The listening socket's wait on a readiness loop, or null when the runtime's accept is used.</summary>
    private ReadinessRegistration? _loopAccept;

    /// <summary>The most connections taken from the accept queue per wake-up of the loop (HAProxy's default <c>tune.maxaccept</c>).</summary>
    internal const int MaxAcceptBatch = 64;

    /// <summary>
    /// The local address of every connection the loop accepts, when the listener is bound to one address (null for a
    /// wildcard listener, whose connections each ask: <see cref="AcceptDescriptor"/>).
    /// </summary>
    private IPEndPoint? _acceptedLocal;

    /// <summary>Connections the last look at the accept queue found that are not taken yet (accepted without a wait).</summary>
    private int _queued;

    /// <summary>Readiness wake-ups of the accept loop; each starts a batch of accepts.</summary>
    private long _acceptBatches;

    /// <summary>
    /// Completes when the listener stops accepting: successfully after <see cref="StopAsync"/>, faulted with the
    /// error when accepting failed for good (the socket itself failed). Transient accept failures (EMFILE, ENFILE,
    /// ENOBUFS, ENOMEM, ECONNABORTED, a queued connection's network error) never end it: they are logged at most
    /// once every 10 s with the errno and the descriptor counts, and accepting resumes after a short back-off.
    /// A host awaits this to fail (exit non-zero) when its listener dies.
    /// </summary>
    public Task Completion => _completion.Task;

    /// <summary>Binds, listens and starts accepting. Throws <see cref="SocketException"/> when the address cannot be bound.</summary>
    /// <param name="backlog">The listen backlog.</param>
    public void Start(int backlog = 512)
    {
        _socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        _socket.Bind(EndPoint);
        _socket.Listen(backlog);
        if (ReferenceEquals(Accept, RuntimeAccept) && _forwarder.Settings.OwnReadiness && EpollReadiness.Next() is { } loop)
        {
            // Left blocking (see EpollReadiness.TryRegisterListener): accepted only after the loop saw one queued.
            // Accepts inline on the loop (every stage non-blocking): watched once, not re-armed per connection.
            _loopAccept = loop.TryRegisterListener(_socket, persistent: _forwarder.Stages.RunsOnLoop);
            if (_loopAccept is not null)
            {
                // Linux copies TCP_NODELAY from the listener to every socket accept(2) returns: set once here, not per
                // connection (ForwardAccepted relies on it).
                _socket.NoDelay = true;
                if (_socket.LocalEndPoint is IPEndPoint bound && !bound.Address.Equals(IPAddress.Any) && !bound.Address.Equals(IPAddress.IPv6Any))
                {
                    _acceptedLocal = bound;
                }

                // Cancelled first in StopAsync, so the pending wait fails before the socket is closed.
                _stopping.Token.UnsafeRegister(static r => ((ReadinessRegistration)r!).Close(), _loopAccept);
            }
        }

        ForwarderLog.Listening(_forwarder.Stages.Logger, _socket.LocalEndPoint);
        _acceptLoop = AcceptLoopAsync();
    }

    /// <summary>Stops accepting, then drains the forwarder (see <see cref="TcpForwarder.DrainAsync(CancellationToken)"/>).</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
        {
            return;
        }

        _stopping.Cancel();
        _socket.Dispose();

        // DrainAsync marks the forwarder as draining before it first yields, so a socket accepted in this
        // window is refused with Drained rather than slipping through.
        Task drain = _forwarder.DrainAsync(cancellationToken);
        await _acceptLoop.ConfigureAwait(false);
        await drain.ConfigureAwait(false);
    }

    /// <summary>Stops (draining) and releases the socket.</summary>
    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        CancellationToken stopping = _stopping.Token;
        TimeProvider time = _forwarder.Stages.TimeProvider;
        int backoffMs = 0;
        long failures = 0;
        long suppressed = 0;
        long lastReport = 0;
        while (!stopping.IsCancellationRequested)
        {
            Socket? client = null;
            LoopAccepted accepted = default;
            try
            {
                // At the connection cap, stop accepting: new clients wait in the listen backlog (or time out there)
                // instead of being accepted only to be closed.
                Task capacity = _forwarder.WaitForCapacityAsync(stopping);
                if (!capacity.IsCompleted)
                {
                    await capacity.ConfigureAwait(false);
                }

                if (_loopAccept is { } registration)
                {
                    accepted = await AcceptOnLoopAsync(registration).ConfigureAwait(false);
                }
                else
                {
                    client = await Accept(_socket, stopping).ConfigureAwait(false);
                }
            }
            catch (Exception) when (stopping.IsCancellationRequested)
            {
                _completion.TrySetResult();
                return;
            }
            catch (SocketException error) when (AcceptErrors.IsTransient(error))
            {
                // EMFILE and friends: the pending connection stays queued, so retrying at once would spin. Back off
                // (10 ms doubling to 1 s), report at most once per ReportInterval, and keep the listener alive.
                failures++;
                backoffMs = backoffMs == 0 ? 10 : Math.Min(backoffMs * 2, 1000);
                long now = time.GetTimestamp();
                if (lastReport == 0 || time.GetElapsedTime(lastReport, now) >= AcceptErrorReportInterval)
                {
                    ReportTransient(error, backoffMs, suppressed);
                    suppressed = 0;
                    lastReport = now;
                }
                else
                {
                    suppressed++;
                }

                try
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(backoffMs), time, stopping).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    _completion.TrySetResult();
                    return;
                }

                continue;
            }
#pragma warning disable CA1031 // The listener is dead: the error is logged and handed to Completion for the host.
            catch (Exception error)
#pragma warning restore CA1031
            {
                ForwarderLog.AcceptFailed(_forwarder.Stages.Logger, EndPoint, error);
                _completion.TrySetException(error);
                return;
            }

            if (failures > 0)
            {
                ForwarderLog.AcceptRecovered(_forwarder.Stages.Logger, EndPoint, failures);
                failures = 0;
                backoffMs = 0;
            }

            try
            {
                // The forwarder tracks the connection (drain waits for it) and never throws for network conditions.
                // Accepted on a loop: the connection joins the next loop (round robin, so every core serves some).
                if (client is not null)
                {
                    _ = _forwarder.ForwardAsync(client);
                }
                else if (EpollReadiness.Next() is { } loop)
                {
                    _forwarder.ForwardAccepted(accepted.Handle, accepted.Local, accepted.Remote, loop);
                }
                else
                {
                    _ = _forwarder.ForwardAsync(ToSocket(accepted.Handle));
                }
            }
            catch (ObjectDisposedException)
            {
                // The forwarder was disposed under the listener: nobody will serve this socket.
                client?.Dispose();
                accepted.Handle?.Dispose();
                _completion.TrySetResult();
                return;
            }
        }

        _completion.TrySetResult();
    }

    /// <summary>
    /// Waits on the listener's readiness loop until a connection is queued, then takes it with an accept that cannot
    /// block: the listener stays in blocking mode (see <see cref="EpollReadiness.TryRegisterListener"/>), so it is
    /// called only for a connection known to be queued. After a wait the listener reads how many are queued
    /// (<see cref="LinuxSockets.AcceptQueueLength"/>) and takes up to <see cref="MaxAcceptBatch"/> of them before it
    /// waits again, as HAProxy's <c>tune.maxaccept</c> does: a busy loop then starts a batch of connections per poll
    /// (their first reads, dials and sends side by side) instead of one, so the peers it wakes are woken once per batch.
    /// The wait's continuation runs on the loop thread when every stage of the forwarder is an
    /// <see cref="INonBlockingStage"/> (the connection's first steps then run there too, as HAProxy's accept does),
    /// otherwise on the thread pool.
    /// </summary>
    [System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<LoopAccepted> AcceptOnLoopAsync(ReadinessRegistration registration)
    {
        if (_queued == 0)
        {
            await registration.WaitAsync(write: false, _forwarder.Stages.RunsOnLoop).ConfigureAwait(false);

            // At least the one connection the wake-up reported, as an accept per wake-up always did: a queue length
            // the kernel cannot report (0) then costs the batch, never the accept.
            _queued = Math.Clamp(QueuedConnections(), 1, MaxAcceptBatch);
            _acceptBatches++;
        }

        _queued--;
        return AcceptDescriptor();
    }

    /// <summary>
    /// One <c>accept4</c> with SOCK_NONBLOCK | SOCK_CLOEXEC on the listening descriptor: the new socket is ready for the
    /// loop as it comes (no <c>fcntl</c>), it gets no runtime <see cref="Socket"/>, and its peer's address comes from
    /// the call itself. Throws <see cref="SocketException"/> (the errno as its error code) when the accept failed, and
    /// <see cref="ObjectDisposedException"/> once the listener was closed.
    /// </summary>
    private LoopAccepted AcceptDescriptor()
    {
        SafeSocketHandle listening = _socket.SafeHandle;
        bool added = false;
        try
        {
            listening.DangerousAddRef(ref added);
            int fd = LinuxSockets.Accept((int)listening.DangerousGetHandle(), out PeerAddress remote);
            if (fd < 0)
            {
                throw new ErrnoSocketException(-fd);
            }

            // A wildcard listener's connections each have their own local address (getsockname); a bound one's is its own.
            return new LoopAccepted(new DescriptorHandle(fd), _acceptedLocal ?? LinuxSockets.LocalAddress(fd), remote);
        }
        finally
        {
            if (added)
            {
                listening.DangerousRelease();
            }
        }
    }

    /// <summary>Hands an accepted descriptor over to a runtime <see cref="Socket"/> (no loop to put it on).</summary>
    private static Socket ToSocket(DescriptorHandle handle)
    {
        int fd = handle.Descriptor;
        handle.SetHandleAsInvalid();
        return new Socket(new SafeSocketHandle(fd, ownsHandle: true));
    }

    /// <summary>A connection the loop accept took: its descriptor, and the addresses it connects.</summary>
    private readonly record struct LoopAccepted(DescriptorHandle Handle, IPEndPoint? Local, PeerAddress Remote);

    /// <summary>Wake-ups of the loop accept: a burst accepted as one batch counts once.</summary>
    internal long AcceptBatches => Volatile.Read(ref _acceptBatches);

    /// <summary>The connections in the listener's accept queue now.</summary>
    internal int QueuedConnections() =>
        SocketDescriptor.Invoke(_socket.SafeHandle, 0, static (fd, _) => LinuxSockets.AcceptQueueLength(fd), whenClosed: 0);

    private void ReportTransient(SocketException error, int backoffMs, long suppressed)
    {
        if (!_forwarder.Stages.Logger.IsEnabled(Microsoft.Extensions.Logging.LogLevel.Warning))
        {
            return;
        }

        int open = ProcessDescriptors.CountOpen();
        bool known = ProcessDescriptors.TryGetLimits(out long soft, out _);
        string limit = !known ? "unknown" : soft == long.MaxValue ? "unlimited" : soft.ToString(CultureInfo.InvariantCulture);
        ForwarderLog.AcceptFailedTransient(
            _forwarder.Stages.Logger,
            EndPoint,
            AcceptErrors.Name(error, open, known ? soft : 0),
            open < 0 ? "unknown" : open.ToString(CultureInfo.InvariantCulture),
            limit,
            _forwarder.ActiveConnections,
            backoffMs,
            suppressed);
    }
}
