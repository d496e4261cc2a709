using System.Net;
using System.Net.Sockets;
using MeshGateway.Forwarding;
using MeshGateway.FunctionalTests.Infrastructure;
using MeshGateway.Testing;
using Microsoft.Extensions.Time.Testing;

namespace MeshGateway.FunctionalTests.Forwarding;

/// <summary>Issue 14 items 5 and 6 (engine side): the routing deadline, drain races, drain timeouts a timer cannot hold.</summary>
public class EngineDeadlineTests
{
    [Fact]
    public async Task Resolver_that_ignores_its_token_is_abandoned_at_the_route_deadline()
    {
        var time = new FakeTimeProvider();
        var resolver = new DeafResolver();
        await using var harness = ForwarderHarness.Start(b => b.UseSniffing(false).UseRouteResolver(resolver).UseTimeProvider(time));
        using Socket client = await harness.ConnectAsync();
        await resolver.Called.Task;

        time.Advance(harness.Forwarder.Settings.RouteTimeout);

        var (_, result) = await harness.Observer.NextClosedAsync();
        Assert.Equal(CloseCause.RouteTimeout, result.Cause);
        Assert.Equal(ForwardingPhase.Routing, result.Phase);
        Assert.Equal(SocketError.Success, await Loopback.ReadUntilClosedAsync(client));
    }

    [Fact]
    public async Task Drain_does_not_wait_on_a_resolver_that_ignores_its_token()
    {
        var resolver = new DeafResolver();
        await using var harness = ForwarderHarness.Start(b => b.UseSniffing(false).UseRouteResolver(resolver));
        using Socket client = await harness.ConnectAsync();
        await resolver.Called.Task;

        // Before the fix this never completed: the connection stayed in the resolver's await.
        await harness.Forwarder.DrainAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        var (_, result) = await harness.Observer.NextClosedAsync();
        Assert.Equal(CloseCause.Drained, result.Cause);
        Assert.Equal(0, harness.Forwarder.ActiveConnections);
    }

    [Fact]
    public async Task Connection_registered_just_after_the_drain_snapshot_is_awaited_by_the_drain()
    {
        TcpForwarder forwarder = new TcpForwarderBuilder().UseSniffing(false).UseRouteResolver(ForwarderHarness.StaticRoute(new IPEndPoint(IPAddress.Loopback, 9))).Build();
        await using var _ = forwarder;
        using Socket listen = Loopback.Listen();
        using Socket client = await Loopback.ConnectAsync(listen.LocalEndPoint!);
        Socket accepted = await listen.AcceptAsync(TestContext.Current.CancellationToken);

        // The drain starts exactly between the connection's registration and its admission check, the window in
        // which the old engine's drain took a snapshot without it and completed while it still ran.
        Task? drain = null;
        forwarder.OnRegistered = () =>
        {
            forwarder.OnRegistered = null;
            drain = forwarder.DrainAsync(TimeSpan.Zero, TestContext.Current.CancellationToken);
        };
        Task<ForwardingResult> forwarded = forwarder.ForwardAsync(accepted, TestContext.Current.CancellationToken);
        await drain!;

        Assert.True(forwarded.IsCompleted, "the drain completed while a registered connection was still running");
        Assert.Equal(CloseCause.Drained, (await forwarded).Cause);
    }

    [Fact]
    public async Task Drain_timeout_longer_than_a_timer_holds_waits_without_a_deadline_instead_of_throwing()
    {
        using Socket upstream = Loopback.Listen();
        await using var harness = ForwarderHarness.StartPassthrough(null, upstream.LocalEndPoint!);
        using Socket client = await harness.ConnectAsync();
        using Socket server = await upstream.AcceptAsync(TestContext.Current.CancellationToken);
        await harness.Observer.NextStreamingAsync();

        Task drain = harness.Forwarder.DrainAsync(TimeSpan.FromHours(100_000), TestContext.Current.CancellationToken);
        Assert.False(drain.IsFaulted, drain.Exception?.ToString());

        client.Shutdown(SocketShutdown.Send);
        server.Shutdown(SocketShutdown.Send);
        await drain;
        var (_, result) = await harness.Observer.NextClosedAsync();
        Assert.NotEqual(CloseCause.Drained, result.Cause);
    }

    /// <summary>A resolver that never answers and ignores its cancellation token.</summary>
    private sealed class DeafResolver : IForwardRouteResolver
    {
        public TaskCompletionSource Called { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ValueTask<ForwardRoute?> ResolveAsync(ForwardingContext context, CancellationToken cancellationToken)
        {
            Called.TrySetResult();
            return new ValueTask<ForwardRoute?>(new TaskCompletionSource<ForwardRoute?>().Task);
        }
    }
}
