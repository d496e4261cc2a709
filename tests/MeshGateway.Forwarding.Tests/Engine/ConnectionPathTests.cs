using MeshGateway.ClientHello;

namespace MeshGateway.Forwarding.Tests.Engine;

/// <summary>The engine's path on in-memory transports: admit → sniff → route → connect → replay → pump → teardown.</summary>
public class ConnectionPathTests
{
    [Fact]
    public async Task Hello_is_sniffed_routed_replayed_byte_for_byte_and_both_directions_stream_until_both_finish()
    {
        ForwardingContext? routed = null;
        await using var harness = EngineHarness.Start(configure: b => b.UseRouteResolver(new LambdaResolver(c =>
        {
            routed = c;
            return c.ClientHello?.ServerName == EngineHarness.HelloServerName ? EngineHarness.Route("web") : null;
        })));
        (MemoryPeer client, Task<ForwardingResult> result) = harness.Connect();

        // The hello and early data in one write: everything read while sniffing is held and replayed unchanged.
        byte[] early = "early"u8.ToArray();
        byte[] first = [.. EngineHarness.Hello, .. early];
        await client.SendAsync(first);
        MemoryPeer upstream = await harness.NextUpstreamAsync();
        Assert.Equal(first, await upstream.ReceiveExactlyAsync(first.Length));
        ForwardingContext context = await harness.Observer.NextStreamingAsync();

        Assert.Same(routed, context);
        Assert.Equal(ClientHelloStatus.Done, context.SniffStatus);
        Assert.Equal(EngineHarness.HelloServerName, context.ClientHello!.ServerName);
        Assert.Equal("web", context.Route!.Cluster.Name);
        Assert.Equal(1, context.ConnectAttempts);

        await upstream.SendAsync("reply"u8.ToArray());
        Assert.Equal("reply"u8.ToArray(), await client.ReceiveExactlyAsync(5));
        await client.SendAsync("more"u8.ToArray());
        Assert.Equal("more"u8.ToArray(), await upstream.ReceiveExactlyAsync(4));

        // The client's FIN reaches the upstream as end of stream; the upstream can still answer.
        client.Finish();
        Assert.Empty(await upstream.ReceiveToEndAsync());
        await upstream.SendAsync("last"u8.ToArray());
        Assert.Equal("last"u8.ToArray(), await client.ReceiveExactlyAsync(4));
        upstream.Finish();

        ForwardingResult done = await result;
        Assert.Equal(CloseCause.ClientClosed, done.Cause);
        Assert.Equal(EngineHarness.Hello.Length + early.Length + 4, done.BytesFromClient);
        Assert.Equal(5 + 4, done.BytesToClient);
        Assert.Equal(0, harness.Forwarder.ActiveConnections);
    }

    [Fact]
    public async Task Without_sniffing_nothing_is_held_and_the_first_bytes_reach_the_upstream_through_the_pump()
    {
        await using var harness = EngineHarness.Start(configure: b => b.UseSniffing(false));
        (MemoryPeer client, Task<ForwardingResult> result) = harness.Connect();

        // Connected before the client sent a byte: no sniff waits for one.
        MemoryPeer upstream = await harness.NextUpstreamAsync();
        ForwardingContext context = await harness.Observer.NextStreamingAsync();
        Assert.Null(context.SniffStatus);
        Assert.Null(context.ClientHello);

        await client.SendAsync("plain"u8.ToArray());
        Assert.Equal("plain"u8.ToArray(), await upstream.ReceiveExactlyAsync(5));
        upstream.Finish();
        Assert.Empty(await client.ReceiveToEndAsync());
        client.Finish();
        Assert.Equal(CloseCause.UpstreamClosed, (await result).Cause);
    }

    [Fact]
    public async Task Parser_options_set_on_the_builder_are_the_ones_the_sniff_uses()
    {
        // A handshake cap below curl's hello: the parser rejects it from its declared length.
        await using var harness = EngineHarness.Start(configure: b => b.UseSniffing(new ClientHelloParserOptions(maxHandshakeLength: 256)));
        (MemoryPeer client, Task<ForwardingResult> result) = harness.Connect();

        await client.SendAsync(EngineHarness.Hello);

        ForwardingResult closed = await result;
        Assert.Equal(CloseCause.ClientHelloTooLarge, closed.Cause);
        Assert.Equal(ForwardingPhase.Sniffing, closed.Phase);
    }
}
