using System.Net.Sockets;
using MeshGateway.ClientHello;

namespace MeshGateway.Forwarding.Tests.Engine;

/// <summary>Every <see cref="CloseCause"/> the engine reports, each driven on in-memory transports with a fake clock.</summary>
public class CloseCauseTests
{
    [Fact]
    public async Task Client_that_finishes_first_closes_as_ClientClosed()
    {
        await using var harness = EngineHarness.Start();
        (MemoryPeer client, MemoryPeer upstream, Task<ForwardingResult> result) = await harness.StreamingAsync();

        client.Finish();
        Assert.Empty(await upstream.ReceiveToEndAsync());
        upstream.Finish();

        Assert.Equal(CloseCause.ClientClosed, (await result).Cause);
    }

    [Fact]
    public async Task Upstream_that_finishes_first_closes_as_UpstreamClosed()
    {
        await using var harness = EngineHarness.Start();
        (MemoryPeer client, MemoryPeer upstream, Task<ForwardingResult> result) = await harness.StreamingAsync();

        upstream.Finish();
        Assert.Empty(await client.ReceiveToEndAsync());
        client.Finish();

        Assert.Equal(CloseCause.UpstreamClosed, (await result).Cause);
    }

    [Fact]
    public async Task Client_reset_while_streaming_is_ClientReset()
    {
        await using var harness = EngineHarness.Start();
        (MemoryPeer client, _, Task<ForwardingResult> result) = await harness.StreamingAsync();

        client.Reset();

        ForwardingResult closed = await result;
        Assert.Equal(CloseCause.ClientReset, closed.Cause);
        Assert.IsType<IOException>(closed.Error);
    }

    [Fact]
    public async Task Upstream_reset_while_streaming_is_UpstreamReset()
    {
        await using var harness = EngineHarness.Start();
        (_, MemoryPeer upstream, Task<ForwardingResult> result) = await harness.StreamingAsync();

        upstream.Reset();

        Assert.Equal(CloseCause.UpstreamReset, (await result).Cause);
    }

    [Fact]
    public async Task Filter_that_says_no_is_Rejected_before_a_byte_is_read()
    {
        await using var harness = EngineHarness.Start(configure: b => b.AddConnectionFilter(new DenyAll()));
        (_, Task<ForwardingResult> result) = harness.Connect();

        ForwardingResult closed = await result;
        Assert.Equal(CloseCause.Rejected, closed.Cause);
        Assert.Equal(ForwardingPhase.Admission, closed.Phase);
    }

    [Fact]
    public async Task Connection_past_the_cap_is_refused_with_ConnectionLimit()
    {
        await using var harness = EngineHarness.Start(o => o.MaxConnections = 1);
        (MemoryPeer first, Task<ForwardingResult> firstResult) = harness.Connect();

        (_, Task<ForwardingResult> second) = harness.Connect();

        Assert.Equal(CloseCause.ConnectionLimit, (await second).Cause);
        first.Finish();
        Assert.Equal(CloseCause.ClientClosed, (await firstResult).Cause);
    }

    [Fact]
    public async Task Client_that_finishes_mid_hello_is_ClientClosed_in_the_sniff()
    {
        await using var harness = EngineHarness.Start();
        (MemoryPeer client, Task<ForwardingResult> result) = harness.Connect();

        await client.SendAsync(EngineHarness.Hello.AsMemory(0, 40));
        client.Finish();

        ForwardingResult closed = await result;
        Assert.Equal(CloseCause.ClientClosed, closed.Cause);
        Assert.Equal(ForwardingPhase.Sniffing, closed.Phase);
    }

    [Fact]
    public async Task Silent_client_is_closed_at_the_sniff_deadline()
    {
        await using var harness = EngineHarness.Start();
        (MemoryPeer client, Task<ForwardingResult> result) = harness.Connect();
        await client.SendAsync(EngineHarness.Hello.AsMemory(0, 10));

        harness.Time.Advance(harness.Forwarder.Settings.SniffTimeout);

        ForwardingResult closed = await result;
        Assert.Equal(CloseCause.SniffTimeout, closed.Cause);
        Assert.Equal(ForwardingPhase.Sniffing, closed.Phase);
    }

    [Fact]
    public async Task Hello_whose_declared_handshake_cannot_fit_the_wire_cap_is_too_large_at_once()
    {
        // A 1,024-byte wire cap holds at most a 1,015-byte handshake (one 5-byte record header, one 4-byte handshake
        // header). The hello declares 1,020: it is refused from its headers, not after reading up to the cap (the
        // wire cap used to be passed to the parser as the handshake cap, which waited for bytes that cannot fit).
        await using var harness = EngineHarness.Start(o => o.MaxClientHelloBytes = 1024);
        (MemoryPeer client, Task<ForwardingResult> result) = harness.Connect();

        await client.SendAsync(new byte[] { 0x16, 0x03, 0x01, 0x04, 0x00, 0x01, 0x00, 0x03, 0xfc });
        client.Finish();

        ForwardingResult closed = await result;
        Assert.Equal(CloseCause.ClientHelloTooLarge, closed.Cause);
        Assert.Equal(ForwardingPhase.Sniffing, closed.Phase);
    }

    [Fact]
    public async Task Hello_undecided_within_the_wire_cap_is_too_large_however_small_its_handshake()
    {
        // One handshake byte per record (6 wire bytes each): the handshake is within the parser's cap, only the
        // wire cap stops it.
        await using var harness = EngineHarness.Start(
            o => o.MaxClientHelloBytes = 1024,
            b => b.UseSniffing(new ClientHelloParserOptions(maxHandshakeLength: ClientHelloParserOptions.HardMaxHandshakeLength)));
        (MemoryPeer client, Task<ForwardingResult> result) = harness.Connect();
        byte[] handshake = EngineHarness.Hello[5..];
        Assert.True(6 * handshake.Length > 1024, "the hello is too small to pass the cap in 1-byte records");

        await client.SendAsync(handshake.SelectMany(b => new byte[] { 0x16, 0x03, 0x01, 0x00, 0x01, b }).ToArray());

        ForwardingResult closed = await result;
        Assert.Equal(CloseCause.ClientHelloTooLarge, closed.Cause);
    }

    [Fact]
    public async Task Plain_tcp_without_a_route_is_NotTls()
    {
        await using var harness = EngineHarness.Start(configure: b => b.UseRouteResolver(new LambdaResolver(_ => null)));
        (MemoryPeer client, Task<ForwardingResult> result) = harness.Connect();

        await client.SendAsync("GET / HTTP/1.1\r\n"u8.ToArray());

        ForwardingResult closed = await result;
        Assert.Equal(CloseCause.NotTls, closed.Cause);
        Assert.Equal(ForwardingPhase.Routing, closed.Phase);
    }

    [Theory]
    [InlineData(new byte[] { 0x16, 0x03, 0x01, 0x00, 0x04, 0x02, 0x00, 0x00, 0x00 }, ClientHelloStatus.NotClientHello)] // a ServerHello first
    [InlineData(new byte[] { 0x16, 0x03, 0x01, 0x00, 0x04, 0x01, 0x00, 0x00, 0x00 }, ClientHelloStatus.Malformed)] // an empty ClientHello
    public async Task Tls_that_is_not_a_well_formed_client_hello_without_a_route_is_MalformedClientHello(byte[] bytes, ClientHelloStatus status)
    {
        ForwardingContext? seen = null;
        await using var harness = EngineHarness.Start(configure: b => b.UseRouteResolver(new LambdaResolver(c =>
        {
            seen = c;
            return null;
        })));
        (MemoryPeer client, Task<ForwardingResult> result) = harness.Connect();

        await client.SendAsync(bytes);

        Assert.Equal(CloseCause.MalformedClientHello, (await result).Cause);
        Assert.Equal(status, seen!.SniffStatus);
    }

    [Fact]
    public async Task Hello_no_route_matches_is_NoRoute()
    {
        await using var harness = EngineHarness.Start(configure: b => b.UseRouteResolver(new LambdaResolver(_ => null)));
        (MemoryPeer client, Task<ForwardingResult> result) = harness.Connect();

        await client.SendAsync(EngineHarness.Hello);

        Assert.Equal(CloseCause.NoRoute, (await result).Cause);
    }

    [Fact]
    public async Task Resolver_that_never_answers_is_abandoned_at_the_route_deadline()
    {
        var never = new TaskCompletionSource<ForwardRoute?>();
        var resolver = new PendingResolver(never.Task);
        await using var harness = EngineHarness.Start(configure: b => b.UseRouteResolver(resolver));
        (MemoryPeer client, Task<ForwardingResult> result) = harness.Connect();
        await client.SendAsync(EngineHarness.Hello);
        await resolver.Called.Task;

        harness.Time.Advance(harness.Forwarder.Settings.RouteTimeout);

        ForwardingResult closed = await result;
        Assert.Equal(CloseCause.RouteTimeout, closed.Cause);
        Assert.Equal(ForwardingPhase.Routing, closed.Phase);
    }

    [Fact]
    public async Task Resolver_that_throws_is_an_InternalError()
    {
        await using var harness = EngineHarness.Start(configure: b => b.UseRouteResolver(new LambdaResolver(_ => throw new InvalidOperationException("resolver bug"))));
        (MemoryPeer client, Task<ForwardingResult> result) = harness.Connect();

        await client.SendAsync(EngineHarness.Hello);

        ForwardingResult closed = await result;
        Assert.Equal(CloseCause.InternalError, closed.Cause);
        Assert.Equal("resolver bug", closed.Error!.Message);
    }

    [Fact]
    public async Task Cluster_without_endpoints_is_NoEndpoint()
    {
        var empty = new ForwardRoute("empty", new UpstreamCluster("empty", []));
        await using var harness = EngineHarness.Start(configure: b => b.UseRouteResolver(new StaticRouteResolver(empty)));
        (MemoryPeer client, Task<ForwardingResult> result) = harness.Connect();

        await client.SendAsync(EngineHarness.Hello);

        ForwardingResult closed = await result;
        Assert.Equal(CloseCause.NoEndpoint, closed.Cause);
        Assert.Equal(ForwardingPhase.Connecting, closed.Phase);
    }

    [Fact]
    public async Task Dial_that_fails_is_ConnectFailed_with_every_attempt_in_the_error()
    {
        await using var harness = EngineHarness.Start();
        harness.DialFailure = new SocketException((int)SocketError.ConnectionRefused);
        (MemoryPeer client, Task<ForwardingResult> result) = harness.Connect();

        await client.SendAsync(EngineHarness.Hello);

        ForwardingResult closed = await result;
        Assert.Equal(CloseCause.ConnectFailed, closed.Cause);
        var error = Assert.IsType<UpstreamConnectException>(closed.Error);
        Assert.Same(harness.DialFailure, Assert.Single(error.Failures));
    }

    [Fact]
    public async Task Quiet_streaming_connection_is_closed_at_the_idle_deadline()
    {
        await using var harness = EngineHarness.Start();
        (_, _, Task<ForwardingResult> result) = await harness.StreamingAsync();

        harness.Time.Advance(harness.Forwarder.Settings.IdleTimeout);

        ForwardingResult closed = await result;
        Assert.Equal(CloseCause.IdleTimeout, closed.Cause);
        Assert.Equal(ForwardingPhase.Streaming, closed.Phase);
    }

    [Fact]
    public async Task Half_closed_connection_is_closed_at_the_half_closed_deadline()
    {
        await using var harness = EngineHarness.Start();
        (MemoryPeer client, MemoryPeer upstream, Task<ForwardingResult> result) = await harness.StreamingAsync();
        client.Finish();
        Assert.Empty(await upstream.ReceiveToEndAsync());

        harness.Time.Advance(harness.Forwarder.Settings.HalfClosedTimeout);

        ForwardingResult closed = await result;
        Assert.Equal(CloseCause.HalfClosedTimeout, closed.Cause);
        Assert.Equal(ForwardingPhase.HalfClosed, closed.Phase);
    }

    [Fact]
    public async Task Drain_past_its_timeout_closes_a_streaming_connection_as_Drained()
    {
        await using var harness = EngineHarness.Start();
        (_, _, Task<ForwardingResult> result) = await harness.StreamingAsync();

        await harness.Forwarder.DrainAsync(TimeSpan.Zero, TestContext.Current.CancellationToken);

        Assert.Equal(CloseCause.Drained, (await result).Cause);
    }

    [Fact]
    public async Task Caller_cancellation_closes_the_connection_as_Canceled()
    {
        await using var harness = EngineHarness.Start();
        using var cancel = new CancellationTokenSource();
        (_, Task<ForwardingResult> result) = harness.ConnectCancelable(cancel.Token);

        await cancel.CancelAsync();

        Assert.Equal(CloseCause.Canceled, (await result).Cause);
    }

    [Fact]
    public void Every_close_cause_but_None_has_a_test_here()
    {
        string[] names = typeof(CloseCauseTests).GetMethods().Select(m => m.Name).ToArray();
        string[] covered =
        [
            "ClientClosed", "UpstreamClosed", "ClientReset", "UpstreamReset", "Rejected", "ConnectionLimit", "sniff_deadline",
            "too_large", "NotTls", "MalformedClientHello", "NoRoute", "NoEndpoint", "ConnectFailed", "idle_deadline",
            "half_closed_deadline", "Drained", "Canceled", "InternalError", "route_deadline",
        ];
        Assert.All(covered, word => Assert.Contains(names, n => n.Contains(word, StringComparison.Ordinal)));
        Assert.Equal(Enum.GetValues<CloseCause>().Length - 1, covered.Length);
    }

    private sealed class DenyAll : IConnectionFilter
    {
        public ValueTask<bool> AllowAsync(ForwardingContext context, CancellationToken cancellationToken) => ValueTask.FromResult(false);
    }

    private sealed class PendingResolver(Task<ForwardRoute?> answer) : IForwardRouteResolver
    {
        public TaskCompletionSource Called { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ValueTask<ForwardRoute?> ResolveAsync(ForwardingContext context, CancellationToken cancellationToken)
        {
            Called.TrySetResult();
            return new ValueTask<ForwardRoute?>(answer);
        }
    }
}
