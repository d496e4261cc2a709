using System.Net;
using System.Net.Sockets;
using MeshGateway.Forwarding;
using MeshGateway.FunctionalTests.Faults;
using MeshGateway.Testing;

namespace MeshGateway.FunctionalTests.Forwarding;

/// <summary>The splice pump's own epoll loop on its own: connects, cancellation, readiness of real sockets.</summary>
[Collection(typeof(ProcessResourceIsolation))] // counts the loop's process-wide registrations
public class ReadinessLoopTests
{
    [Fact]
    public async Task Connect_that_the_peer_never_answers_is_canceled_and_leaves_no_registration()
    {
        EpollReadiness loop = OwnLoop();
        using Socket listener = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(0);

        // Backlog 0 takes one connection; the next SYN is dropped while the accept queue is full, so the connect pends.
        using Socket first = await Loopback.ConnectAsync(listener.LocalEndPoint!);
        int before = loop.Count;
        using var cancel = new CancellationTokenSource();
        ValueTask<ReadinessSocketSide?> connecting = ReadinessSocketSide.ConnectAsync(loop, listener.LocalEndPoint!, inline: false, cancel.Token);
        Assert.False(connecting.IsCompleted);
        Assert.Equal(before + 1, loop.Count);

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await connecting);
        Assert.Equal(before, loop.Count);
    }

    [Fact]
    public async Task Own_loop_socket_receives_sends_and_sees_end_of_stream()
    {
        EpollReadiness loop = OwnLoop();
        using Socket listener = Loopback.Listen();
        ReadinessSocketSide side = (await ReadinessSocketSide.ConnectAsync(loop, listener.LocalEndPoint!, inline: false, TestContext.Current.CancellationToken))!;
        using Socket peer = await listener.AcceptAsync(TestContext.Current.CancellationToken);
        try
        {
            Assert.True(LinuxSockets.IsNonBlocking((int)side.SpliceHandle!.DangerousGetHandle()));

            // A receive posted before any data waits on the loop, then completes with what arrives.
            var buffer = new byte[16];
            SocketPumpOperation? unused = null; // the own loop never uses the direction's runtime operation
            ValueTask<int> receiving = side.ReceiveAsync(buffer, ref unused);
            Assert.False(receiving.IsCompleted);
            await Loopback.SendAllAsync(peer, "ping"u8.ToArray());
            Assert.Equal(4, await receiving);
            Assert.Equal("ping"u8.ToArray(), buffer[..4]);

            // A send larger than both socket buffers completes once the peer reads (write readiness on the loop).
            byte[] big = new byte[32 * 1024 * 1024];
            Random.Shared.NextBytes(big);
            ValueTask<bool> sending = side.SendAsync(big, ref unused);
            Assert.False(sending.IsCompleted);
            Task<byte[]> received = Loopback.ReadExactlyAsync(peer, big.Length);
            Assert.True(await sending);
            Assert.Equal(big, await received);

            // The peer's FIN: a zero-byte wait completes, then a receive returns 0.
            peer.Shutdown(SocketShutdown.Send);
            Assert.Equal(0, await side.ReceiveAsync(Memory<byte>.Empty, ref unused));
            Assert.Equal(0, await side.ReceiveAsync(buffer, ref unused));
            Assert.Null(unused);
        }
        finally
        {
            side.Dispose();
        }
    }

    [Fact]
    public async Task Disposing_fails_a_pending_wait_as_an_aborted_operation_without_an_exception()
    {
        EpollReadiness loop = OwnLoop();
        using Socket listener = Loopback.Listen();
        ReadinessSocketSide side = (await ReadinessSocketSide.ConnectAsync(loop, listener.LocalEndPoint!, inline: false, TestContext.Current.CancellationToken))!;
        using Socket peer = await listener.AcceptAsync(TestContext.Current.CancellationToken);
        int registered = loop.Count;
        SocketPumpOperation? unused = null;

        ValueTask<int> waiting = side.ReceiveAsync(Memory<byte>.Empty, ref unused);
        Assert.False(waiting.IsCompleted);
        side.Dispose();

        Assert.True(await waiting < 0);
        Assert.Equal(SocketError.OperationAborted, side.Failure(unused));
        Assert.Equal(registered - 1, loop.Count);
    }

    [Fact]
    public async Task Peer_reset_is_reported_as_connection_reset_without_an_exception()
    {
        EpollReadiness loop = OwnLoop();
        using Socket listener = Loopback.Listen();
        ReadinessSocketSide side = (await ReadinessSocketSide.ConnectAsync(loop, listener.LocalEndPoint!, inline: false, TestContext.Current.CancellationToken))!;
        Socket peer = await listener.AcceptAsync(TestContext.Current.CancellationToken);
        try
        {
            SocketPumpOperation? unused = null;
            ValueTask<int> receiving = side.ReceiveAsync(new byte[16], ref unused);
            Assert.False(receiving.IsCompleted);
            peer.LingerState = new LingerOption(enable: true, seconds: 0);
            peer.Dispose(); // RST

            Assert.True(await receiving < 0);
            Assert.Equal(SocketError.ConnectionReset, side.Failure(unused));

            // A send to the reset socket fails the same way: false, not a throw.
            Assert.False(await side.SendAsync(new byte[64], ref unused));
        }
        finally
        {
            side.Dispose();
            peer.Dispose();
        }
    }

    [Fact]
    public async Task Accepted_sockets_inherit_TCP_NODELAY_from_the_listener_so_the_listener_sets_it_once()
    {
        OwnLoop(); // the own-loop listener relies on this Linux behaviour instead of a setsockopt per connection
        using Socket listener = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen();
        using Socket client = await Loopback.ConnectAsync(listener.LocalEndPoint!);
        using Socket accepted = await listener.AcceptAsync(TestContext.Current.CancellationToken);

        Assert.True(accepted.NoDelay);
    }

    [Fact]
    public async Task A_connection_reset_while_queued_is_still_accepted_so_the_blocking_accept_after_readiness_never_waits()
    {
        OwnLoop(); // ForwarderListener's listener stays blocking and accepts only once epoll saw a queued connection
        using Socket listener = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen();
        using (Socket client = await Loopback.ConnectAsync(listener.LocalEndPoint!))
        {
            client.LingerState = new LingerOption(enable: true, seconds: 0); // RST before the accept
        }

        Assert.True(listener.Poll(TimeSpan.FromSeconds(5), SelectMode.SelectRead));
        using Socket accepted = await Task.Run(listener.Accept, TestContext.Current.CancellationToken)
            .WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);
        Assert.Equal(SocketError.ConnectionReset, Assert.Throws<SocketException>(() => accepted.Receive(new byte[1])).SocketErrorCode);
    }

    [Theory]
    [InlineData(true, 0)]   // watched once, level-triggered: no call per accept
    [InlineData(false, 5)]  // one-shot: re-armed for every wait
    public async Task A_persistent_listener_is_watched_once_while_accepts_run_inline_on_the_loop(bool persistent, int controlCalls)
    {
        EpollReadiness loop = OwnLoop();
        using Socket listener = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen();
        ReadinessRegistration registration = loop.TryRegisterListener(listener, persistent)!;
        try
        {
            Assert.Equal(controlCalls, await AcceptInlineAsync(listener, registration, 5));
        }
        finally
        {
            registration.Close();
        }
    }

    [Fact]
    public async Task A_persistent_listener_stops_watching_while_nobody_waits_and_watches_again_on_the_next_wait()
    {
        EpollReadiness loop = OwnLoop();
        using Socket listener = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen();
        ReadinessRegistration registration = loop.TryRegisterListener(listener, persistent: true)!;
        await using LoopProbe polls = await LoopProbe.StartAsync(loop);
        try
        {
            using Socket first = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            first.Connect(listener.LocalEndPoint!);
            await registration.WaitAsync(write: false, inline: false); // completes on the thread pool; nothing accepted yet

            // The loop polls again with the connection still queued and nobody waiting: it stops the watch (one call), and
            // does not spin: the count stays put.
            await polls.PolledAsync(3);
            Assert.Equal(2, registration.ControlCalls);

            // The next wait watches again and is told at once (the connection is still queued).
            await registration.WaitAsync(write: false, inline: false).AsTask().WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);
            using Socket accepted = listener.Accept();
            await polls.PolledAsync(3);
            int settled = registration.ControlCalls;
            Assert.InRange(settled, 3, 4); // 4 when the loop polled again before the accept took the connection
            await polls.PolledAsync(3);
            Assert.Equal(settled, registration.ControlCalls);
        }
        finally
        {
            registration.Close();
        }
    }

    [Fact]
    public async Task An_own_socket_read_on_the_loop_is_watched_once_and_stops_watching_after_the_fin_nobody_waits_for()
    {
        await using var pair = await OwnSocketPair.ConnectAsync(OwnLoop());
        var (peer, registration) = (pair.Peer, pair.Registration);
        var reader = new LoopReader(pair.Own, registration);
        await using LoopProbe loop = await LoopProbe.StartAsync(registration.Loop);

        // Each wait's callback reads on the loop thread and waits again before the loop polls, as the copy pump
        // does: the first wait adds the socket, and the watch then stands for every later one.
        reader.WaitAgain();
        foreach (byte b in "abc"u8.ToArray())
        {
            peer.Send([b]);
            await reader.NextReadAsync();
        }

        Assert.Equal(1, registration.ControlCalls);

        // The FIN is read and nobody waits again: level-triggered, it is reported until something changes. The first
        // report nobody waited for passes, the second stops the watch (one call), and then the loop is not woken.
        peer.Shutdown(SocketShutdown.Send);
        Assert.Equal(0, await reader.NextReadAsync());
        await loop.PolledAsync(3);   // at least two polls after the read: the report that passes and the one that stops
        Assert.Equal(2, registration.ControlCalls);
        await loop.PolledAsync(3);
        Assert.Equal(2, registration.ControlCalls);
    }

    [Fact]
    public async Task An_own_socket_waited_on_from_the_thread_pool_is_armed_one_shot_per_wait_and_never_reported_stale()
    {
        await using var pair = await OwnSocketPair.ConnectAsync(OwnLoop());
        var (peer, own, registration) = (pair.Peer, pair.Own, pair.Registration);
        await using LoopProbe loop = await LoopProbe.StartAsync(registration.Loop);

        // The continuations run on the thread pool, so the loop may poll before they read: one shot per wait (an
        // add, then a change per wait), and the unread byte is never reported to nobody in between.
        foreach (byte b in "abc"u8.ToArray())
        {
            ValueTask waiting = registration.WaitAsync(write: false, inline: false);
            peer.Send([b]);
            await waiting.AsTask().WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);
            await loop.PolledAsync(2);   // the loop polls before the continuation reads
            Assert.Equal(1, own.Receive(new byte[8]));
        }

        Assert.Equal(3, registration.ControlCalls);
        ValueTask eof = registration.WaitAsync(write: false, inline: false);
        peer.Shutdown(SocketShutdown.Send);
        await eof.AsTask().WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);
        await loop.PolledAsync(2);
        Assert.Equal(4, registration.ControlCalls);
    }

    /// <summary>A connected loopback pair whose accepted end is registered as a socket the forwarder owns.</summary>
    private sealed class OwnSocketPair(Socket listener, Socket peer, Socket own, ReadinessRegistration registration) : IAsyncDisposable
    {
        public Socket Peer => peer;

        public Socket Own => own;

        public ReadinessRegistration Registration => registration;

        public static async Task<OwnSocketPair> ConnectAsync(EpollReadiness loop)
        {
            Socket listener = Loopback.Listen();
            Socket peer = await Loopback.ConnectAsync(listener.LocalEndPoint!);
            Socket own = await listener.AcceptAsync(TestContext.Current.CancellationToken);
            own.Blocking = false;
            return new OwnSocketPair(listener, peer, own, loop.RegisterNonBlocking(own.SafeHandle));
        }

        public ValueTask DisposeAsync()
        {
            registration.Close();
            own.Dispose();
            peer.Dispose();
            listener.Dispose();
            return ValueTask.CompletedTask;
        }
    }

    /// <summary>
    /// A second own socket on a loop, read in its wait's callback: a byte sent to it and read back is one poll and
    /// dispatch of that loop. A poll's events are all dispatched before the next poll, so after <c>n</c> of these the loop
    /// has polled at least <c>n - 1</c> times since the call, each time reporting whatever it still watches.
    /// </summary>
    private sealed class LoopProbe(OwnSocketPair pair, LoopReader reader) : IAsyncDisposable
    {
        public static async Task<LoopProbe> StartAsync(EpollReadiness loop)
        {
            OwnSocketPair pair = await OwnSocketPair.ConnectAsync(loop);
            var reader = new LoopReader(pair.Own, pair.Registration);
            reader.WaitAgain();
            return new LoopProbe(pair, reader);
        }

        /// <summary>Waits until <paramref name="count"/> bytes, one at a time, went through the loop.</summary>
        public async Task PolledAsync(int count)
        {
            for (int i = 0; i < count; i++)
            {
                pair.Peer.Send([1]);
                Assert.Equal(1, await reader.NextReadAsync());
            }
        }

        public ValueTask DisposeAsync() => pair.DisposeAsync();
    }

    /// <summary>Reads a registered socket in its wait's callback, on the loop thread, and waits again while data came.</summary>
    private sealed class LoopReader(Socket socket, ReadinessRegistration registration)
    {
        private static readonly Action<object?> Ready = static state => ((LoopReader)state!).OnReady();
        private readonly System.Threading.Channels.Channel<int> _reads = System.Threading.Channels.Channel.CreateUnbounded<int>();

        public void WaitAgain() => Assert.Equal(0, registration.WaitReady(write: false, Ready, this));

        public async Task<int> NextReadAsync() =>
            await _reads.Reader.ReadAsync(TestContext.Current.CancellationToken).AsTask().WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);

        private void OnReady()
        {
            if (registration.TakeResult(write: false) < 0)
            {
                return;
            }

            int read = socket.Receive(new byte[8], SocketFlags.None, out SocketError error);
            if (error == SocketError.WouldBlock)
            {
                WaitAgain();
                return;
            }

            _reads.Writer.TryWrite(read);
            if (read > 0)
            {
                WaitAgain();
            }
        }
    }

    /// <summary>
    /// Accepts <paramref name="count"/> connections as the listener's loop does, each continuation on the loop thread
    /// waiting again before the loop polls, and returns the <c>epoll_ctl</c> calls they took. It first accepts until a
    /// continuation runs on the registration's loop thread (the first ones may complete before they are awaited and stay
    /// on the caller's thread, which may even be another loop's); from there every one does: the loop cannot report the
    /// next connection while its thread is here.
    /// </summary>
    private static async Task<int> AcceptInlineAsync(Socket listener, ReadinessRegistration registration, int count)
    {
        for (int warm = 0; EpollReadiness.Current != registration.Loop; warm++)
        {
            Assert.True(warm < 100, "no accept continuation ever ran on the loop thread");
            await AcceptOneAsync(listener, registration).ConfigureAwait(false);
        }

        int before = registration.ControlCalls;
        for (int i = 0; i < count; i++)
        {
            await AcceptOneAsync(listener, registration).ConfigureAwait(false);
            Assert.Same(registration.Loop, EpollReadiness.Current);
        }

        return registration.ControlCalls - before;
    }

    private static async Task AcceptOneAsync(Socket listener, ReadinessRegistration registration)
    {
        // Armed before the connection comes, as the listener's accept loop does; the connect runs elsewhere, so that this
        // awaits before the loop reports it (and the continuation then runs on the loop thread).
        ValueTask waiting = registration.WaitAsync(write: false, inline: true);
        using Socket client = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        Task connecting = Task.Run(() => client.Connect(listener.LocalEndPoint!));
        await waiting.ConfigureAwait(false);
        using Socket accepted = listener.Accept();
        connecting.Wait(); // done: the kernel queued the connection once the client's handshake completed
    }

    private static EpollReadiness OwnLoop()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "the own readiness loop is Linux only");
        return EpollReadiness.Next() ?? throw new InvalidOperationException("epoll is available on every Linux this runs on");
    }
}
