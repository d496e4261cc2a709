using System.Net.Sockets;
using System.Text;
using MeshGateway.Forwarding;
using MeshGateway.Testing;

namespace MeshGateway.FunctionalTests.AspNetCore;

/// <summary>
/// Half-close under Kestrel (aspnetcore#14937). Completing Kestrel's output pipe closes the socket both ways, so
/// by default the middleware sends to the client through the connection's socket (<c>IConnectionSocketFeature</c>):
/// the upstream's FIN becomes a real FIN to the client, and the client can keep sending. With
/// <c>HalfCloseThroughSocket = false</c> the pipes are used and Kestrel's full close is what the client gets.
/// </summary>
public class KestrelHalfCloseTests
{
    private static readonly byte[] Hello = CaptureFiles.ClientHello("curl.bin");

    [Fact]
    public async Task Upstream_fin_reaches_the_client_as_fin_and_the_client_keeps_sending_through_the_socket_feature()
    {
        await using KestrelPassthrough gateway = await KestrelPassthrough.StartAsync();
        using Socket client = await gateway.ConnectAsync();
        await Loopback.SendAllAsync(client, Hello);
        using Socket upstream = await gateway.AcceptUpstreamAsync();
        Assert.Equal(Hello, await Loopback.ReadExactlyAsync(upstream, Hello.Length));

        // The upstream answers and half-closes: the client reads the answer, then EOF (a FIN, not a reset).
        byte[] answer = Encoding.ASCII.GetBytes("answer, then FIN");
        await Loopback.SendAllAsync(upstream, answer);
        upstream.Shutdown(SocketShutdown.Send);
        Assert.Equal(answer, await Loopback.ReadToEndAsync(client));

        // The client's direction is still open: what it sends after the FIN reaches the upstream, then its own FIN.
        byte[] afterFin = Encoding.ASCII.GetBytes("sent after the server's FIN");
        await Loopback.SendAllAsync(client, afterFin);
        client.Shutdown(SocketShutdown.Send);
        Assert.Equal(afterFin, await Loopback.ReadToEndAsync(upstream));

        var (_, result) = await gateway.Observer.NextClosedAsync();
        Assert.Equal(CloseCause.UpstreamClosed, result.Cause);
        Assert.Equal(Hello.Length + afterFin.Length, result.BytesFromClient);
        Assert.Equal(answer.Length, result.BytesToClient);
    }

    [Fact]
    public async Task Client_fin_reaches_the_upstream_and_the_upstream_keeps_answering()
    {
        await using KestrelPassthrough gateway = await KestrelPassthrough.StartAsync();
        using Socket client = await gateway.ConnectAsync();
        await Loopback.SendAllAsync(client, Hello);
        client.Shutdown(SocketShutdown.Send);
        using Socket upstream = await gateway.AcceptUpstreamAsync();

        Assert.Equal(Hello, await Loopback.ReadToEndAsync(upstream));
        byte[] answer = new byte[300_000];
        Random.Shared.NextBytes(answer);
        await Loopback.SendAllAsync(upstream, answer);
        upstream.Shutdown(SocketShutdown.Send);

        Assert.Equal(answer, await Loopback.ReadToEndAsync(client));
        var (_, result) = await gateway.Observer.NextClosedAsync();
        Assert.Equal(CloseCause.ClientClosed, result.Cause);
        Assert.Equal(answer.Length, result.BytesToClient);
    }

    [Fact]
    public async Task Without_the_socket_feature_kestrel_turns_the_upstream_fin_into_a_full_close()
    {
        await using KestrelPassthrough gateway = await KestrelPassthrough.StartAsync(o => o.HalfCloseThroughSocket = false);
        using Socket client = await gateway.ConnectAsync();
        await Loopback.SendAllAsync(client, Hello);
        using Socket upstream = await gateway.AcceptUpstreamAsync();
        Assert.Equal(Hello, await Loopback.ReadExactlyAsync(upstream, Hello.Length));

        byte[] answer = Encoding.ASCII.GetBytes("answer, then FIN");
        await Loopback.SendAllAsync(upstream, answer);
        upstream.Shutdown(SocketShutdown.Send);

        // The client still gets every byte and then EOF...
        Assert.Equal(answer, await Loopback.ReadToEndAsync(client));
        // ...but Kestrel closed the socket both ways: nothing the client sends afterwards reaches the upstream,
        // which sees its client side end (FIN or reset) with no further byte.
        try
        {
            await Loopback.SendAllAsync(client, Encoding.ASCII.GetBytes("lost"));
        }
        catch (SocketException)
        {
            // The kernel may already have answered with RST.
        }

        byte[] buffer = new byte[64];
        int received;
        try
        {
            received = await upstream.ReceiveAsync(buffer, SocketFlags.None, TestContext.Current.CancellationToken);
        }
        catch (SocketException)
        {
            received = 0;
        }

        Assert.Equal(0, received);
        var (_, result) = await gateway.Observer.NextClosedAsync();
        Assert.Equal(Hello.Length, result.BytesFromClient);
    }

    [Fact]
    public async Task Client_reset_under_kestrel_resets_the_upstream()
    {
        await using KestrelPassthrough gateway = await KestrelPassthrough.StartAsync();
        Socket client = await gateway.ConnectAsync();
        await Loopback.SendAllAsync(client, Hello);
        using Socket upstream = await gateway.AcceptUpstreamAsync();
        Assert.Equal(Hello, await Loopback.ReadExactlyAsync(upstream, Hello.Length));

        Loopback.Reset(client);

        Assert.Equal(SocketError.ConnectionReset, await Loopback.ReadUntilClosedAsync(upstream));
        var (_, result) = await gateway.Observer.NextClosedAsync();
        Assert.Equal(CloseCause.ClientReset, result.Cause);
    }

    [Fact]
    public async Task Upstream_reset_under_kestrel_resets_the_client()
    {
        await using KestrelPassthrough gateway = await KestrelPassthrough.StartAsync();
        using Socket client = await gateway.ConnectAsync();
        await Loopback.SendAllAsync(client, Hello);
        Socket upstream = await gateway.AcceptUpstreamAsync();
        Assert.Equal(Hello, await Loopback.ReadExactlyAsync(upstream, Hello.Length));

        Loopback.Reset(upstream);

        Assert.Equal(SocketError.ConnectionReset, await Loopback.ReadUntilClosedAsync(client));
        var (_, result) = await gateway.Observer.NextClosedAsync();
        Assert.Equal(CloseCause.UpstreamReset, result.Cause);
    }
}
