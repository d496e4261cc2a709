using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using MeshGateway.Forwarding;
using MeshGateway.FunctionalTests.Faults;
using MeshGateway.FunctionalTests.Infrastructure;
using MeshGateway.Testing;

namespace MeshGateway.FunctionalTests.Forwarding;

/// <summary>
/// Where a connection's stages run (Linux, the forwarder's own epoll loops): every stage marked
/// <see cref="INonBlockingStage"/> keeps the connection on its loop thread from accept to close; a stage that is not
/// marked is user code that may block and is never called on a loop thread, while the bytes still flow.
/// </summary>
[Collection(typeof(ProcessResourceIsolation))] // shares the process-wide loops with the registration-counting tests
public class LoopThreadTests
{
    [Theory]
    [InlineData(Pump.Copy)]
    [InlineData(Pump.Splice)]
    public async Task A_connection_whose_stages_are_all_non_blocking_runs_from_accept_to_close_on_a_loop_thread(Pump pump)
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "the own readiness loops are Linux only");
        var observer = new NonBlockingThreadObserver();
        ConcurrentQueue<(string Stage, bool OnLoop)> calls = await ForwardOneAsync(pump, observer, resolver: null);

        Assert.Equal(["accepted", "routed", "connect", "streaming", "closed"], calls.Select(c => c.Stage));
        Assert.All(calls, c => Assert.True(c.OnLoop, $"{c.Stage} ran off the loop"));
    }

    [Theory]
    [InlineData(Pump.Copy)]
    [InlineData(Pump.Splice)]
    public async Task An_observer_not_marked_non_blocking_is_never_called_on_a_loop_thread(Pump pump)
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "the own readiness loops are Linux only");
        var observer = new ThreadObserver();
        ConcurrentQueue<(string Stage, bool OnLoop)> calls = await ForwardOneAsync(pump, observer, resolver: null);

        Assert.Equal(["accepted", "routed", "connect", "streaming", "closed"], calls.Select(c => c.Stage));
        Assert.All(calls, c => Assert.False(c.OnLoop, $"{c.Stage} ran on a loop thread"));
    }

    [Fact]
    public async Task A_route_resolver_not_marked_non_blocking_is_called_off_the_loop_and_the_rest_still_forwards()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "the own readiness loops are Linux only");
        var observer = new NonBlockingThreadObserver();
        var resolver = new ThreadRecordingResolver();
        ConcurrentQueue<(string Stage, bool OnLoop)> calls = await ForwardOneAsync(Pump.Copy, observer, resolver);

        Assert.False(resolver.CalledOnLoop.Single(), "the resolver ran on a loop thread");
        Assert.Equal("closed", calls.Last().Stage);
    }

    [Theory]
    [InlineData(Pump.Copy)]
    [InlineData(Pump.Splice)]
    public async Task A_non_blocking_resolver_that_answers_later_hands_the_rest_to_the_async_path_and_the_bytes_still_flow(Pump pump)
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "the own readiness loops are Linux only");
        var observer = new NonBlockingThreadObserver();
        ConcurrentQueue<(string Stage, bool OnLoop)> calls = await ForwardOneAsync(
            pump, observer, upstream => new LateResolver(ForwarderHarness.StaticRoute(upstream)));

        // The answer came on a timer thread: from the route on, the connection ran as an async method (ForwardOneAsync
        // checked every byte and both half-closes).
        Assert.Equal(["accepted", "routed", "connect", "streaming", "closed"], calls.Select(c => c.Stage));
        Assert.True(calls.First().OnLoop, "the connection did not start on its loop");
    }

    [Fact]
    public async Task A_host_name_endpoint_on_the_loop_is_dialed_by_the_connector_and_the_bytes_still_flow()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "the own readiness loops are Linux only");
        var observer = new NonBlockingThreadObserver();
        ConcurrentQueue<(string Stage, bool OnLoop)> calls = await ForwardOneAsync(
            Pump.Copy,
            observer,
            upstream => new StaticRouteResolver(new ForwardRoute("test", new UpstreamCluster(
                "test", [new UpstreamEndpoint(new DnsEndPoint("localhost", ((IPEndPoint)upstream).Port, AddressFamily.InterNetwork))], new RoundRobinSelector()))));

        Assert.Equal("closed", calls.Last().Stage);
        Assert.Contains(calls, c => c.Stage == "connect");
    }

    /// <summary>
    /// Forwards one connection through a listener (sniffing off, one upstream), 64 KiB each way with half-closes, and
    /// returns the observer's calls once it reported the close.
    /// </summary>
    private static Task<ConcurrentQueue<(string Stage, bool OnLoop)>> ForwardOneAsync(
        Pump pump, ThreadObserver observer, ThreadRecordingResolver? resolver) =>
        ForwardOneAsync(pump, observer, upstream =>
        {
            StaticRouteResolver route = ForwarderHarness.StaticRoute(upstream);
            return resolver is null ? route : resolver.Wrap(route);
        });

    /// <summary>As above, routing with the resolver <paramref name="routes"/> makes for the upstream's address.</summary>
    private static async Task<ConcurrentQueue<(string Stage, bool OnLoop)>> ForwardOneAsync(
        Pump pump, ThreadObserver observer, Func<EndPoint, IForwardRouteResolver> routes)
    {
        ConcurrentQueue<(string Stage, bool OnLoop)> calls = observer.Calls;
        Task closed = observer.Closed.Task;
        using Socket upstreamListener = Loopback.Listen();
        var builder = new TcpForwarderBuilder().UseSniffing(false).UseRouteResolver(routes(upstreamListener.LocalEndPoint!)).AddObserver(observer);
        builder.UsePump(pump);
        await using TcpForwarder forwarder = builder.Build();
        var listener = new ForwarderListener(forwarder, new IPEndPoint(IPAddress.Loopback, 0));
        listener.Start();
        try
        {
            using Socket client = await Loopback.ConnectAsync(listener.LocalEndPoint!);
            using Socket upstream = await upstreamListener.AcceptAsync(TestContext.Current.CancellationToken);
            byte[] up = Payload(65_536, 1), down = Payload(65_536, 2);
            await Loopback.SendAllAsync(client, up);
            client.Shutdown(SocketShutdown.Send);
            Assert.Equal(up, await Loopback.ReadToEndAsync(upstream));
            await Loopback.SendAllAsync(upstream, down);
            upstream.Shutdown(SocketShutdown.Send);
            Assert.Equal(down, await Loopback.ReadToEndAsync(client));

            await closed.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
            return calls;
        }
        finally
        {
            await listener.StopAsync(TestContext.Current.CancellationToken);
        }
    }

    private static byte[] Payload(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    /// <summary>Records, for every callback, whether it ran on a loop thread; not marked non-blocking.</summary>
    private class ThreadObserver : IForwarderObserver
    {
        public ConcurrentQueue<(string Stage, bool OnLoop)> Calls { get; } = new();

        public TaskCompletionSource Closed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void OnAccepted(ForwardingContext context) => Calls.Enqueue(("accepted", EpollReadiness.OnLoopThread));

        public void OnRouted(ForwardingContext context) => Calls.Enqueue(("routed", EpollReadiness.OnLoopThread));

        public void OnConnectAttempt(ForwardingContext context, UpstreamEndpoint endpoint, int attempt, Exception? exception) =>
            Calls.Enqueue(("connect", EpollReadiness.OnLoopThread));

        public void OnStreaming(ForwardingContext context) => Calls.Enqueue(("streaming", EpollReadiness.OnLoopThread));

        public void OnClosed(ForwardingContext context, ForwardingResult result)
        {
            Calls.Enqueue(("closed", EpollReadiness.OnLoopThread));
            Closed.TrySetResult();
        }
    }

    /// <summary>The same recording, marked non-blocking (it only enqueues).</summary>
    private sealed class NonBlockingThreadObserver : ThreadObserver, INonBlockingStage;

    /// <summary>A resolver marked non-blocking that never blocks but answers 50 ms later, on a timer thread.</summary>
    private sealed class LateResolver(IForwardRouteResolver inner) : IForwardRouteResolver, INonBlockingStage
    {
        public ValueTask<ForwardRoute?> ResolveAsync(ForwardingContext context, CancellationToken cancellationToken) =>
            new(LaterAsync(context, cancellationToken));

        private async Task<ForwardRoute?> LaterAsync(ForwardingContext context, CancellationToken cancellationToken)
        {
            await Task.Delay(50, cancellationToken).ConfigureAwait(false);
            return await inner.ResolveAsync(context, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>A resolver that is not marked non-blocking, recording where it was called.</summary>
    private sealed class ThreadRecordingResolver
    {
        public ConcurrentQueue<bool> CalledOnLoop { get; } = new();

        public IForwardRouteResolver Wrap(IForwardRouteResolver inner) => new Resolver(this, inner);

        private sealed class Resolver(ThreadRecordingResolver owner, IForwardRouteResolver inner) : IForwardRouteResolver
        {
            public ValueTask<ForwardRoute?> ResolveAsync(ForwardingContext context, CancellationToken cancellationToken)
            {
                owner.CalledOnLoop.Enqueue(EpollReadiness.OnLoopThread);
                return inner.ResolveAsync(context, cancellationToken);
            }
        }
    }
}
