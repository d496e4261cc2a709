using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace MeshGateway.Forwarding;

/// <summary>
/// A socket side that waits through <see cref="EpollReadiness"/> instead of the runtime: non-blocking
/// <c>recv</c>/<c>send</c>, and on EAGAIN a one-shot wait on the forwarder's own loop. The runtime never registers
/// such a socket, so it wakes nobody while nobody waits (see <see cref="EpollReadiness"/>). Used for both sockets of
/// a socket-to-socket connection on Linux in every pump mode.
/// </summary>
/// <remarks>
/// The side holds the descriptor's handle, not a <see cref="Socket"/>: the sockets the engine
/// makes itself (the listener's <c>accept4</c>, the dial's <c>socket</c>) never get one, so a connection carries no
/// runtime socket object, endpoint copies or option tracking, and its half-close, RST and close are direct calls. A
/// socket that came as a <see cref="Socket"/> (a host's <see cref="TcpForwarder.ForwardAsync(Socket, CancellationToken)"/>,
/// a custom connector's) is kept as the owner and disposed with the side.
/// </remarks>
internal sealed class ReadinessSocketSide : ConnectionSide
{
    private const int ShutWrite = 1;
    private const int ShutBoth = 2;

    private readonly SafeHandle _handle;
    private readonly Socket? _owner;
    private readonly ReadinessRegistration _registration;

    /// <summary>The errno of the last receive, send or wait that failed (0: none yet); see <see cref="Failure"/>.</summary>
    private int _errno;

    private ReadinessSocketSide(SafeHandle handle, Socket? owner, ReadinessRegistration registration)
    {
        _handle = handle;
        _owner = owner;
        _registration = registration;
    }

    /// <summary>
    /// True while readiness continuations run on the loop thread: while a pump runs, and for the whole connection when
    /// every stage it calls is an <see cref="INonBlockingStage"/>; otherwise (sniff, route, dial, replay ahead of user
    /// code) they go to the thread pool.
    /// </summary>
    private bool InlineCompletions { get; set; }

    /// <summary>The loop this side waits on (the connection's other socket joins the same one).</summary>
    public EpollReadiness Loop => _registration.Loop;

    public override bool SupportsZeroByteReads => true;

    public override bool CloseSendsFin => true;

    public override SafeHandle? SpliceHandle => _handle;

    /// <summary>The bytes in the socket's receive queue (<c>FIONREAD</c>); 0 once it is torn down or when the call fails.</summary>
    public override int ReceivableBytes => Math.Max(0, WithDescriptor(static fd => LinuxSockets.ReceivableBytes(fd)));

    public override bool CanWaitWritable => true;

    public override void SetInlineCompletions(bool inline) => InlineCompletions = inline;

    /// <summary>Connects the upstream on this side's loop too, so the runtime registers neither socket.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public override async ValueTask<ConnectionSide?> ConnectPeerAsync(EndPoint endPoint, CancellationToken cancellationToken) =>
        await ConnectAsync(Loop, endPoint, InlineCompletions, cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// A custom connector's socket joins this side's loop when it can (a socket the runtime already registered
    /// still splices correctly, it just wakes the runtime more).
    /// </summary>
    public override ConnectionSide AdoptPeer(Socket socket) =>
        (ConnectionSide?)TryCreate(Loop, socket, inline: InlineCompletions) ?? new SocketConnectionSide(socket);

    /// <summary>
    /// Wraps <paramref name="socket"/> (which the side then owns) when the loop can take it, its continuations inline as
    /// <paramref name="inline"/> says (see <see cref="SetInlineCompletions"/>); null otherwise (keep the runtime's readiness).
    /// </summary>
    public static ReadinessSocketSide? TryCreate(EpollReadiness loop, Socket socket, bool inline = false) =>
        loop.TryRegister(socket) is { } registration ? new ReadinessSocketSide(socket.SafeHandle, socket, registration) { InlineCompletions = inline } : null;

    /// <summary>
    /// The side of a socket the engine made non-blocking itself (the listener's <c>accept4</c>): it owns
    /// <paramref name="handle"/> from here on.
    /// </summary>
    public static ReadinessSocketSide ForDescriptor(EpollReadiness loop, DescriptorHandle handle, bool inline = false) =>
        new(handle, owner: null, loop.RegisterNonBlocking(handle)) { InlineCompletions = inline };

    /// <summary>
    /// Connects a new TCP socket to <paramref name="endPoint"/> without the runtime: a non-blocking connect(2), a
    /// writability wait on the loop, then SO_ERROR; the connect's continuation and the side's later ones run on the loop
    /// thread when <paramref name="inline"/>, else on the thread pool. Null when the endpoint has no native form here (a <see cref="DnsEndPoint"/>); the
    /// caller then uses its connector.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public static async ValueTask<ReadinessSocketSide?> ConnectAsync(EpollReadiness loop, EndPoint endPoint, bool inline, CancellationToken cancellationToken)
    {
        if (endPoint is not IPEndPoint ip || BeginConnect(loop, ip, inline, out int errno) is not { } side)
        {
            return null;
        }

        try
        {
            if (errno == LinuxSockets.EInProgress)
            {
                using (cancellationToken.UnsafeRegister(static s => ((ReadinessSocketSide)s!).AbandonWaits(), side))
                {
                    try
                    {
                        await side._registration.WaitAsync(write: true, side.InlineCompletions).ConfigureAwait(false);
                    }
                    catch (ObjectDisposedException) when (cancellationToken.IsCancellationRequested)
                    {
                        throw new OperationCanceledException(cancellationToken);
                    }
                }

                errno = side.EndConnect();
            }

            if (errno != 0)
            {
                throw LinuxSockets.ToException(errno);
            }

            return side;
        }
        catch
        {
            side.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Starts connecting a new TCP socket to <paramref name="endPoint"/> on <paramref name="loop"/>: <c>socket</c> with
    /// SOCK_NONBLOCK, TCP_NODELAY, a non-blocking connect(2). Null when the endpoint has no native form here (the caller
    /// then uses its connector). Otherwise the side and <paramref name="errno"/>: 0 when already connected,
    /// <see cref="LinuxSockets.EInProgress"/> when the caller must wait until the side is writable and then ask
    /// <see cref="EndConnect"/>, or why it failed (the caller disposes the side). Throws <see cref="SocketException"/>
    /// when no socket could be made (EMFILE, for one).
    /// </summary>
    public static ReadinessSocketSide? BeginConnect(EpollReadiness loop, IPEndPoint endPoint, bool inline, out int errno)
    {
        errno = 0;
        if (endPoint.AddressFamily is not (AddressFamily.InterNetwork or AddressFamily.InterNetworkV6))
        {
            return null;
        }

        int fd = LinuxSockets.CreateTcpSocket(endPoint.AddressFamily);
        if (fd < 0)
        {
            throw new ErrnoSocketException(-fd);
        }

        var handle = new DescriptorHandle(fd);
        ReadinessSocketSide side = ForDescriptor(loop, handle, inline);
        try
        {
            _ = LinuxSockets.SetNoDelay(fd);   // as Socket.NoDelay: a failure leaves Nagle on, the bytes still flow
            errno = side.StartConnect(endPoint);
            if (errno == -1)
            {
                side.Dispose();
                return null;   // no native form for this address after all
            }

            return side;
        }
        catch
        {
            side.Dispose();
            throw;
        }
    }

    /// <summary>
    /// After <see cref="BeginConnect"/>'s writability wait: 0 when the connection is established, else the errno. EPOLLOUT
    /// alone means established; with EPOLLERR/EPOLLHUP, SO_ERROR says why it failed.
    /// </summary>
    public int EndConnect()
    {
        if (!_registration.WriteFailed)
        {
            return 0;
        }

        int errno = WithDescriptor(static fd => LinuxSockets.PendingError(fd));
        return errno != 0 ? errno : LinuxSockets.EConnRefused;   // a hang-up that left no error still failed
    }

    /// <summary>Fails this side's pending waits (-EBADF) and takes it off the loop, as a teardown does: a dial's timeout.</summary>
    public void AbandonWaits() => _registration.Close();

    /// <summary>
    /// Receives: a non-blocking <c>recv</c>, and on EAGAIN a wait on the loop. Every wait of this socket goes through the
    /// own loop (the direction's runtime operation is never used), and a failure is -errno, not an exception: a peer's
    /// reset, and the teardown that closes the other direction's wait, are routine.
    /// </summary>
    public override ValueTask<int> ReceiveAsync(Memory<byte> buffer, ref SocketPumpOperation? operation)
    {
        if (buffer.IsEmpty)
        {
            return _registration.WaitReadyAsync(write: false, InlineCompletions);
        }

        int n = Receive(buffer);
        return n >= 0 ? ValueTask.FromResult(n) : ReceiveSlowAsync(buffer, n);
    }

    /// <summary>One non-blocking <c>recv</c>; a failure other than EAGAIN is recorded for <see cref="Failure"/>.</summary>
    public override int TryReceive(Memory<byte> buffer)
    {
        int n = Receive(buffer);
        return n == -LinuxSockets.EAgain ? NothingYet : n < 0 ? Failed(n) : n;
    }

    /// <summary>Sends every byte: non-blocking <c>send</c>, and on EAGAIN a writability wait on the loop; false when it failed.</summary>
    public override ValueTask<bool> SendAsync(ReadOnlyMemory<byte> data, ref SocketPumpOperation? operation)
    {
        int n = Send(data);
        return n == data.Length ? ValueTask.FromResult(true) : SendSlowAsync(data, n);
    }

    /// <summary>
    /// The errno this side's last failed receive or send recorded; a zero-byte wait records nothing (it has no state
    /// machine to do it in), and it fails only once the registration closed, so that is what is reported then.
    /// </summary>
    public override SocketError Failure(SocketPumpOperation? operation) =>
        LinuxSockets.ToSocketError(Volatile.Read(ref _errno) is var errno and not 0 ? errno : LinuxSockets.EBadF);

    /// <summary>Waits until the socket can take more bytes (or has failed).</summary>
    public override ValueTask WaitWritableAsync() => _registration.WaitAsync(write: true, InlineCompletions);

    /// <summary>Sends FIN (<c>shutdown(SHUT_WR)</c>); throws <see cref="SocketException"/> when the socket is already gone.</summary>
    public override void ShutdownSend()
    {
        int errno = WithDescriptor(static fd => LinuxSockets.Shutdown(fd, ShutWrite));
        if (errno != 0)
        {
            throw errno == -LinuxSockets.EBadF ? new ObjectDisposedException(nameof(Socket)) : LinuxSockets.ToException(errno);
        }
    }

    /// <summary>
    /// Sends the FIN (or arms the RST: linger on, zero timeout, RFC 793 §3.5 "abort") first, then fails the pending
    /// waits, then closes the descriptor: a wait's callback may finish the connection (and dispose this socket) inline,
    /// and must not close it before its FIN is out. A socket already reset or closed ignores the first step.
    /// </summary>
    public override void Close(bool reset)
    {
        _ = reset
            ? WithDescriptor(static fd => LinuxSockets.SetAbortiveClose(fd))
            : WithDescriptor(static fd => LinuxSockets.Shutdown(fd, ShutBoth));
        _registration.Close();
        Release();
    }

    /// <summary>Both FINs are through: close(2) without a shutdown(2) that could only fail with ENOTCONN.</summary>
    public override void CloseFinished()
    {
        _registration.Close();
        Release();
    }

    public override void Dispose()
    {
        _registration.Close();
        Release();
    }

    /// <summary>Closes the descriptor (through its owning <see cref="Socket"/> when it came with one).</summary>
    private void Release()
    {
        if (_owner is not null)
        {
            _owner.Dispose();
        }
        else
        {
            _handle.Dispose();
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<int> ReceiveSlowAsync(Memory<byte> buffer, int n)
    {
        while (true)
        {
            if (n >= 0)
            {
                return n;
            }

            if (n != -LinuxSockets.EAgain)
            {
                return Failed(n);
            }

            int ready = await _registration.WaitReadyAsync(write: false, InlineCompletions).ConfigureAwait(false);
            if (ready < 0)
            {
                return Failed(ready);
            }

            n = Receive(buffer);
        }
    }

    /// <summary>The rest of a send after the first try sent <paramref name="n"/> bytes (or -errno).</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<bool> SendSlowAsync(ReadOnlyMemory<byte> data, int n)
    {
        while (true)
        {
            if (n == -LinuxSockets.EAgain)
            {
                int ready = await _registration.WaitReadyAsync(write: true, InlineCompletions).ConfigureAwait(false);
                if (ready < 0)
                {
                    Failed(ready);
                    return false;
                }
            }
            else if (n < 0)
            {
                Failed(n);
                return false;
            }
            else
            {
                data = data[n..];
                if (data.IsEmpty)
                {
                    return true;
                }
            }

            n = Send(data);
        }
    }

    /// <summary>Waits on the loop with a callback instead of a <see cref="ValueTask"/> (see <see cref="ReadinessRegistration.WaitReady(bool, Action{object?}, object)"/>).</summary>
    public int WaitReady(bool write, Action<object?> callback, object state) => _registration.WaitReady(write, callback, state);

    /// <summary>How the wait a callback was told about ended: 0 or -errno.</summary>
    public int TakeWaitResult(bool write) => _registration.TakeResult(write);

    /// <summary>Records -<paramref name="result"/> as this side's failure (see <see cref="Failure"/>) and returns it.</summary>
    public int Failed(int result)
    {
        Volatile.Write(ref _errno, -result);
        return result;
    }

    /// <summary>One non-blocking <c>send</c> of <paramref name="data"/>: the bytes taken (maybe fewer), or -errno (-EAGAIN: full).</summary>
    public int Send(ReadOnlyMemory<byte> data) => WithDescriptor(data, static (fd, d) => LinuxSockets.Send(fd, d.Span));

    /// <summary>One non-blocking <c>recv</c> into <paramref name="buffer"/>: the bytes read, 0 at end of stream, or -errno (-EAGAIN: nothing yet).</summary>
    public int Receive(Memory<byte> buffer) => WithDescriptor(buffer, static (fd, b) => LinuxSockets.Receive(fd, b.Span));

    private int StartConnect(IPEndPoint endPoint) => WithDescriptor(endPoint, static (fd, ep) => LinuxSockets.StartConnect(fd, ep));

    private int WithDescriptor(Func<int, int> call) => WithDescriptor(call, static (fd, c) => c(fd));

    /// <summary>A system call on this socket's descriptor (see <see cref="SocketDescriptor"/>); -EBADF once torn down.</summary>
    private int WithDescriptor<TState>(TState state, Func<int, TState, int> call) =>
        SocketDescriptor.Invoke(_handle, state, call, whenClosed: -LinuxSockets.EBadF);
}
