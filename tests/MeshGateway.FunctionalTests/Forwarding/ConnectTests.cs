using System.Net.Sockets;
using MeshGateway.Forwarding;
using MeshGateway.FunctionalTests.Infrastructure;
using MeshGateway.Testing;
using Microsoft.Extensions.Time.Testing;

namespace MeshGateway.FunctionalTests.Forwarding;

/// <summary>Connect stage: retry on another endpoint, clear error when all fail.</summary>
public class ConnectTests
{
    [Theory]
    [InlineData(Pump.Copy)]
    [InlineData(Pump.Splice)] // the own readiness loop dials itself: its errors must read the same
    public async Task Refused_first_endpoint_is_retried_on_the_second_in_exactly_two_attempts(Pump pump)
    {
        using Socket refusing = Loopback.RefusingPort();
        using Socket upstreamListener = Loopback.Listen();
        await using var harness = ForwarderHarness.StartPassthrough(null, pump, refusing.LocalEndPoint!, upstreamListener.LocalEndPoint!);

        using Socket client = await harness.ConnectAsync();
        using Socket upstream = await upstreamListener.AcceptAsync(TestContext.Current.CancellationToken);
        await Loopback.SendAllAsync(client, "hello"u8.ToArray());
        Assert.Equal("hello"u8.ToArray(), await Loopback.ReadExactlyAsync(upstream, 5));
        client.Shutdown(SocketShutdown.Send);
        upstream.Shutdown(SocketShutdown.Send);

        var (context, result) = await harness.Observer.NextClosedAsync();
        Assert.True(result.IsGraceful);
        Assert.Equal(2, context.ConnectAttempts);
        var attempts = harness.Observer.Attempts.ToArray();
        Assert.Equal(2, attempts.Length);
        Assert.Equal(SocketError.ConnectionRefused, Assert.IsType<SocketException>(attempts[0].Error).SocketErrorCode);
        Assert.Equal(refusing.LocalEndPoint, attempts[0].Endpoint.EndPoint);
        Assert.Null(attempts[1].Error);
        Assert.Equal(upstreamListener.LocalEndPoint, context.Upstream!.EndPoint);
    }

    [Theory]
    [InlineData(Pump.Copy)]
    [InlineData(Pump.Splice)]
    public async Task All_endpoints_refusing_closes_with_ConnectFailed_naming_every_attempt(Pump pump)
    {
        using Socket refusingA = Loopback.RefusingPort();
        using Socket refusingB = Loopback.RefusingPort();
        using Socket refusingC = Loopback.RefusingPort();
        await using var harness = ForwarderHarness.StartPassthrough(null, pump, refusingA.LocalEndPoint!, refusingB.LocalEndPoint!, refusingC.LocalEndPoint!);

        using Socket client = await harness.ConnectAsync();

        var (context, result) = await harness.Observer.NextClosedAsync();
        Assert.Equal(CloseCause.ConnectFailed, result.Cause);
        Assert.Equal(ForwardingPhase.Connecting, result.Phase);
        Assert.Equal(2, context.ConnectAttempts); // the default MaxConnectAttempts, though three endpoints exist
        var error = Assert.IsType<UpstreamConnectException>(result.Error);
        Assert.Equal(2, error.Failures.Count);
        Assert.Contains("ConnectionRefused", error.Message, StringComparison.Ordinal);
        Assert.Equal(SocketError.Success, await Loopback.ReadUntilClosedAsync(client));
    }

    [Fact]
    public async Task Connect_timeout_on_the_first_endpoint_moves_on_to_the_second()
    {
        var time = new FakeTimeProvider();
        using Socket upstreamListener = Loopback.Listen();
        var blackhole = new UpstreamEndpoint(new System.Net.IPEndPoint(System.Net.IPAddress.Parse("192.0.2.1"), 443)); // never dialed for real
        var connector = new BlackholeConnector(blackhole);
        var observer = new RecordingObserver();
        await using TcpForwarder forwarder = Build(time, observer, connector, blackhole, new UpstreamEndpoint(upstreamListener.LocalEndPoint!));
        (Socket client, Task<ForwardingResult> forwarding) = await ForwardOneAsync(forwarder);
        using (client)
        {
            await connector.Dialing.Task;
            time.Advance(TimeSpan.FromSeconds(5));

            await AssertFirstTimedOutThenStreamsAsync(observer, upstreamListener, client, forwarding);
        }
    }

    [Fact]
    public async Task Default_connector_times_out_on_the_forwarders_clock_and_moves_on_to_the_second()
    {
        var time = new FakeTimeProvider();
        using Socket full = FullListener(out Socket queued);
        using (queued)
        {
            using Socket upstreamListener = Loopback.Listen();
            var observer = new RecordingObserver();
            await using TcpForwarder forwarder = Build(time, observer, connector: null, new UpstreamEndpoint(full.LocalEndPoint!), new UpstreamEndpoint(upstreamListener.LocalEndPoint!));
            (Socket client, Task<ForwardingResult> forwarding) = await ForwardOneAsync(forwarder);
            using (client)
            {
                await observer.NextAcceptedAsync();

                // The first dial pends (its SYN is dropped) until the forwarder's clock passes the 5 s connect timeout. One
                // second a step: the second dial (5 s of its own) cannot time out in the step after the first one did.
                for (int step = 0; observer.Attempts.IsEmpty; step++)
                {
                    Assert.True(step < 500, "the first dial never timed out on the forwarder's clock");
                    time.Advance(TimeSpan.FromSeconds(1));
                    await Task.Delay(10, TestContext.Current.CancellationToken);
                }

                await AssertFirstTimedOutThenStreamsAsync(observer, upstreamListener, client, forwarding);
            }
        }
    }

    [Fact]
    public async Task Drain_ends_a_default_connector_dial_at_once_not_at_its_timeout()
    {
        var time = new FakeTimeProvider(); // never advanced: only the teardown can end the dial
        using Socket full = FullListener(out Socket queued);
        using (queued)
        {
            var observer = new RecordingObserver();
            await using TcpForwarder forwarder = Build(time, observer, connector: null, new UpstreamEndpoint(full.LocalEndPoint!));
            (Socket client, Task<ForwardingResult> forwarding) = await ForwardOneAsync(forwarder);
            using (client)
            {
                await observer.NextAcceptedAsync();

                // The drain waits for the connection: were the dial not ended, the kernel's SYN retries would end it (~2 min).
                await forwarder.DrainAsync(TimeSpan.Zero, TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);

                ForwardingResult result = await forwarding;
                Assert.Equal(CloseCause.Drained, result.Cause);
                Assert.Empty(observer.Attempts); // ended by the teardown, not reported as a failed attempt
            }
        }
    }

    /// <summary>A forwarder without sniffing that routes everything to one cluster of <paramref name="endpoints"/>, round robin.</summary>
    private static TcpForwarder Build(FakeTimeProvider time, RecordingObserver observer, IUpstreamConnector? connector, params UpstreamEndpoint[] endpoints)
    {
        TcpForwarderBuilder builder = new TcpForwarderBuilder()
            .UseSniffing(false)
            .UseTimeProvider(time)
            .AddObserver(observer)
            .UseRouteResolver(new StaticRouteResolver(new ForwardRoute("r", new UpstreamCluster("c", endpoints, new RoundRobinSelector()))));
        return (connector is null ? builder : builder.UseConnector(connector)).Build();
    }

    /// <summary>Connects a client and hands the accepted socket to <paramref name="forwarder"/>.</summary>
    private static async Task<(Socket Client, Task<ForwardingResult> Forwarding)> ForwardOneAsync(TcpForwarder forwarder)
    {
        using Socket acceptor = Loopback.Listen();
        Socket client = await Loopback.ConnectAsync(acceptor.LocalEndPoint!);
        Socket accepted = await acceptor.AcceptAsync(TestContext.Current.CancellationToken);
        return (client, forwarder.ForwardAsync(accepted, TestContext.Current.CancellationToken));
    }

    /// <summary>The first attempt timed out, the second reached <paramref name="upstreamListener"/> and the connection ends gracefully.</summary>
    private static async Task AssertFirstTimedOutThenStreamsAsync(RecordingObserver observer, Socket upstreamListener, Socket client, Task<ForwardingResult> forwarding)
    {
        using Socket upstream = await upstreamListener.AcceptAsync(TestContext.Current.CancellationToken);
        await observer.NextStreamingAsync();
        var attempts = observer.Attempts.ToArray();
        Assert.Equal(2, attempts.Length);
        Assert.IsType<TimeoutException>(attempts[0].Error);
        Assert.Null(attempts[1].Error);
        client.Shutdown(SocketShutdown.Send);
        upstream.Shutdown(SocketShutdown.Send);
        Assert.True((await forwarding).IsGraceful);
    }

    /// <summary>A listener whose accept queue (backlog 0) is full: a further SYN is dropped, so a connect to it pends.</summary>
    private static Socket FullListener(out Socket queued)
    {
        var listener = new Socket(System.Net.Sockets.AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        listener.Listen(0);
        queued = new Socket(System.Net.Sockets.AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        queued.Connect(listener.LocalEndPoint!);
        return listener;
    }

    [Fact]
    public async Task Empty_cluster_closes_with_NoEndpoint()
    {
        await using var harness = ForwarderHarness.StartPassthrough(null);
        using Socket client = await harness.ConnectAsync();

        var (_, result) = await harness.Observer.NextClosedAsync();
        Assert.Equal(CloseCause.NoEndpoint, result.Cause);
    }

    /// <summary>Dials normally, except that one endpoint never answers (a SYN into the void).</summary>
    private sealed class BlackholeConnector(UpstreamEndpoint blackhole) : IUpstreamConnector
    {
        public TaskCompletionSource Dialing { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async ValueTask<Socket> ConnectAsync(UpstreamEndpoint endpoint, ForwardingContext context, CancellationToken cancellationToken)
        {
            if (ReferenceEquals(endpoint, blackhole))
            {
                Dialing.TrySetResult();
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }

            return await SocketUpstreamConnector.Instance.ConnectAsync(endpoint, context, cancellationToken);
        }
    }
}
