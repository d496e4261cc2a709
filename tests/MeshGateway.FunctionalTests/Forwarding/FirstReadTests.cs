using System.Net.Sockets;
using MeshGateway.Forwarding;
using MeshGateway.FunctionalTests.Infrastructure;
using MeshGateway.Testing;
using MeshGateway.Testing.ClientHellos;

namespace MeshGateway.FunctionalTests.Forwarding;

/// <summary>
/// What a client sent before its connection was accepted is read at once after the accept, without a readiness wait,
/// and is handled exactly as bytes that arrive later: forwarded unchanged, a FIN or a reset before any byte closing with
/// its own cause. The clients wait in the accept queue behind a held connection cap, so the first read finds them there.
/// </summary>
public class FirstReadTests
{
    public static TheoryData<int> HelloSizes => new() { 0, 20_000 };

    [Theory]
    [MemberData(nameof(HelloSizes))]
    public async Task A_hello_queued_before_the_accept_reaches_the_upstream_unchanged_then_both_ways_stream(int padding)
    {
        // 0: one record, read whole by the first read; 20 000: two records, more than one first read takes.
        HelloModel model = ClientHelloBuilder.Typical("inventory.default.dc1.internal.example.consul");
        byte[] hello = padding == 0
            ? ClientHelloBuilder.Build(model)
            : ClientHelloBuilder.Records(ClientHelloBuilder.Handshake(model with { Extensions = [.. model.Extensions!, Ext.Padding(padding)] }), [16_384]);
        using Socket upstreamListener = Loopback.Listen();
        await using HeldAccept held = await HeldAccept.StartAsync(upstreamListener.LocalEndPoint!, maxClientHelloBytes: 32 * 1024);
        using Socket client = await held.Harness.ConnectAsync();
        await Loopback.SendAllAsync(client, hello);
        await held.WaitQueuedAsync(1);

        held.Release();
        using Socket upstream = await upstreamListener.AcceptAsync(TestContext.Current.CancellationToken);
        Assert.Equal(hello, await Loopback.ReadExactlyAsync(upstream, hello.Length));
        ForwardingContext streaming = await held.Harness.Observer.NextStreamingAsync();
        Assert.Equal(MeshGateway.ClientHello.ClientHelloStatus.Done, streaming.SniffStatus);
        Assert.Equal("inventory.default.dc1.internal.example.consul", streaming.ClientHello!.ServerName);

        await Loopback.SendAllAsync(upstream, "server"u8.ToArray());
        Assert.Equal("server"u8.ToArray(), await Loopback.ReadExactlyAsync(client, 6));
        client.Shutdown(SocketShutdown.Send);
        Assert.Empty(await Loopback.ReadToEndAsync(upstream));
        upstream.Shutdown(SocketShutdown.Send);
        Assert.Empty(await Loopback.ReadToEndAsync(client));
        var (_, result) = await held.Harness.Observer.NextClosedAsync();
        Assert.Equal(CloseCause.ClientClosed, result.Cause);
        Assert.Equal(hello.Length, result.BytesFromClient);
        Assert.Equal(6, result.BytesToClient);
    }

    [Fact]
    public async Task A_hello_and_its_FIN_queued_before_the_accept_are_forwarded_in_order()
    {
        byte[] hello = ClientHelloBuilder.Build(ClientHelloBuilder.Typical());
        using Socket upstreamListener = Loopback.Listen();
        await using HeldAccept held = await HeldAccept.StartAsync(upstreamListener.LocalEndPoint!);
        using Socket client = await held.Harness.ConnectAsync();
        await Loopback.SendAllAsync(client, hello);
        client.Shutdown(SocketShutdown.Send);
        await held.WaitQueuedAsync(1);

        held.Release();
        using Socket upstream = await upstreamListener.AcceptAsync(TestContext.Current.CancellationToken);
        Assert.Equal(hello, await Loopback.ReadToEndAsync(upstream));
        await Loopback.SendAllAsync(upstream, "late answer"u8.ToArray());
        upstream.Shutdown(SocketShutdown.Send);
        Assert.Equal("late answer"u8.ToArray(), await Loopback.ReadToEndAsync(client));
        var (_, result) = await held.Harness.Observer.NextClosedAsync();
        Assert.Equal(CloseCause.ClientClosed, result.Cause);
    }

    [Fact]
    public async Task A_client_that_finished_before_the_accept_without_a_byte_closes_as_ClientClosed()
    {
        using Socket upstreamListener = Loopback.Listen();
        await using HeldAccept held = await HeldAccept.StartAsync(upstreamListener.LocalEndPoint!);
        using Socket client = await held.Harness.ConnectAsync();
        client.Shutdown(SocketShutdown.Send);
        await held.WaitQueuedAsync(1);

        held.Release();
        var (_, result) = await held.Harness.Observer.NextClosedAsync();
        Assert.Equal(CloseCause.ClientClosed, result.Cause);
        Assert.Equal(ForwardingPhase.Sniffing, result.Phase);
        Assert.Equal(SocketError.Success, await Loopback.ReadUntilClosedAsync(client));
    }

    [Fact]
    public async Task A_client_that_reset_before_the_accept_closes_as_ClientReset()
    {
        using Socket upstreamListener = Loopback.Listen();
        await using HeldAccept held = await HeldAccept.StartAsync(upstreamListener.LocalEndPoint!);
        using (Socket client = await held.Harness.ConnectAsync())
        {
            await held.WaitQueuedAsync(1);
            Loopback.Reset(client);
        }

        held.Release();
        var (_, result) = await held.Harness.Observer.NextClosedAsync();
        Assert.Equal(CloseCause.ClientReset, result.Cause);
        Assert.Equal(ForwardingPhase.Sniffing, result.Phase);
    }
}
