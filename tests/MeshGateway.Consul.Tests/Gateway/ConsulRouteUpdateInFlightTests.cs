using System.Net.Sockets;
using System.Text;
using MeshGateway.Consul.Tests.Infrastructure;
using MeshGateway.Testing.Consul;

namespace MeshGateway.Consul.Tests.Gateway;

/// <summary>
/// Issue 17: route updates swap atomically; a connection in flight keeps its upstream, and a removed endpoint gets no
/// new connection once the update is applied. Real sockets on 127.0.0.1, the in-repo Consul API server's blocking queries.
/// </summary>
public class ConsulRouteUpdateInFlightTests
{
    private const string Sni = "web.default.dc1.internal." + GatewayFixture.TrustDomain;

    [Fact]
    public async Task A_connection_in_flight_keeps_its_upstream_across_an_update_that_removes_it()
    {
        await using var removed = new EchoBackend();
        await using var added = new EchoBackend();
        await using FakeConsulAgent agent = await FakeConsulAgent.StartAsync();
        agent.Set("/v1/connect/ca/roots", Catalog.Roots(GatewayFixture.TrustDomain));
        agent.Set("/v1/catalog/services", Catalog.Services("web", "web-sidecar-proxy"));
        agent.Set("/v1/health/connect/web", Catalog.List(Catalog.Proxy("web", "node-a", "127.0.0.1", "127.0.0.1", removed.Port)));
        await using GatewayFixture gateway = await GatewayFixture.StartAsync(agent);
        await gateway.WaitForRoutesAsync(s => s.LocalServices.ContainsKey("web"));
        byte[] hello = await ClientHelloCapture.CaptureAsync(Sni);

        using Socket held = await OpenAsync(gateway, hello);
        Assert.Equal("before", await RoundTripAsync(held, "before"));

        agent.Set("/v1/health/connect/web", Catalog.List(Catalog.Proxy("web", "node-b", "127.0.0.1", "127.0.0.1", added.Port)));
        await gateway.WaitForRoutesAsync(s => s.LocalServices.TryGetValue("web", out var e) && e.All(x => x.Port == added.Port));

        // The held connection still reaches the removed instance, both ways, after the update is applied...
        Assert.Equal("after the update", await RoundTripAsync(held, "after the update"));
        // ...and every new connection goes to the instance Consul now lists.
        for (int i = 0; i < 5; i++)
        {
            using Socket fresh = await OpenAsync(gateway, hello);
            Assert.Equal($"new {i}", await RoundTripAsync(fresh, $"new {i}"));
        }

        Assert.Equal("still flowing", await RoundTripAsync(held, "still flowing"));
        Assert.Equal((1, 5), (removed.Accepted, added.Accepted));
    }

    /// <summary>Connects through the gateway and sends the ClientHello; returns once the upstream echoed it (the route is fixed).</summary>
    private static async Task<Socket> OpenAsync(GatewayFixture gateway, byte[] hello)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(gateway.Listener.LocalEndPoint!);
        await socket.SendAsync(hello, SocketFlags.None);
        Assert.Equal(hello, await ClientHelloCapture.ReadExactlyAsync(socket, hello.Length));
        return socket;
    }

    private static async Task<string> RoundTripAsync(Socket socket, string text)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(text);
        await socket.SendAsync(bytes, SocketFlags.None);
        return Encoding.UTF8.GetString(await ClientHelloCapture.ReadExactlyAsync(socket, bytes.Length));
    }
}
