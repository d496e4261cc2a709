using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using MeshGateway.Forwarding;
using MeshGateway.FunctionalTests.Infrastructure;
using MeshGateway.Modes;
using MeshGateway.Naming;
using MeshGateway.Testing;

namespace MeshGateway.FunctionalTests.Forwarding;

/// <summary>
/// Two mesh gateways chained on loopback (dc1, dc2) and a TLS service in dc2, reached from a sidecar's upstream
/// listener in dc1 in each mesh-gateway mode (Consul spec §3.5, §4.3). The TLS session is end to end every time.
/// </summary>
public class MeshGatewayChainTests
{
    private const string TrustDomain = "11111111-2222-3333-4444-555555555555.consul";
    private static readonly string DbSni = ConsulSni.Service("db", null, null, null, "dc2", TrustDomain);

    [Theory]
    [InlineData(MeshGatewayMode.Local, DialPath.LocalGateway, new[] { "dc1", "dc2" })]
    [InlineData(MeshGatewayMode.Remote, DialPath.RemoteGateway, new[] { "dc2" })]
    [InlineData(MeshGatewayMode.None, DialPath.Direct, new string[0])]
    public async Task Client_in_dc1_reaches_a_tls_service_in_dc2(MeshGatewayMode mode, DialPath expectedPath, string[] gatewaysCrossed)
    {
        await using var db = new TlsEchoServer("db", DbSni);
        await using var dc2 = ForwarderHarness.Start(b => b.UseRouteResolver(new MeshGatewayRouterBuilder("dc2", null, TrustDomain)
            .AddLocalService("db", [new UpstreamEndpoint(db.EndPoint)])
            .AddRemoteGateway("dc1", [new UpstreamEndpoint(new IPEndPoint(IPAddress.Loopback, 9))])
            .Build()));
        await using var dc1 = ForwarderHarness.Start(b => b.UseRouteResolver(new MeshGatewayRouterBuilder("dc1", null, TrustDomain)
            .AddRemoteGateway("dc2", [new UpstreamEndpoint(dc2.EndPoint)])
            .Build()));

        MeshGatewayResolution resolution = MeshGatewayModeResolver.Resolve(
            new MeshGatewayModeLayers(Upstream: mode), new UpstreamTarget(LocalDatacenter: "dc1", TargetDatacenter: "dc2"));
        Assert.Equal(expectedPath, resolution.Path);
        var endpoints = new SidecarUpstreamEndpoints(
            TargetInstances: [new UpstreamEndpoint(db.EndPoint)],
            LocalGateways: [new UpstreamEndpoint(dc1.EndPoint)],
            RemoteGateways: [new UpstreamEndpoint(dc2.EndPoint)]);
        await using var sidecar = ForwarderHarness.Start(b => b.UseRouteResolver(SidecarUpstreamRoute.CreateResolver("db", resolution, endpoints)));

        await using SslStream tls = await TlsClient.ConnectAsync(sidecar.EndPoint, DbSni, db.Certificate, SslApplicationProtocol.Http11);

        Assert.Equal("db", await TlsClient.ReadGreetingAsync(tls));
        byte[] payload = RandomNumberGenerator.GetBytes(50_000);
        Assert.Equal(payload, await TlsClient.EchoAsync(tls, payload));
        Assert.Equal(SslApplicationProtocol.Http11, tls.NegotiatedApplicationProtocol);
        Assert.Equal(DbSni, db.LastServerName);
        Assert.Equal(gatewaysCrossed.Contains("dc1") ? 1 : 0, await RoutedCountAsync(dc1, $"dc2.internal.{TrustDomain}"));
        Assert.Equal(gatewaysCrossed.Contains("dc2") ? 1 : 0, await RoutedCountAsync(dc2, DbSni));
    }

    [Theory]
    [InlineData("db.default.dc1.internal.11111111-2222-3333-4444-555555555555.consul")] // unknown local service
    [InlineData("db.default.dc9.internal.11111111-2222-3333-4444-555555555555.consul")] // unknown datacenter
    [InlineData("db.default.dc2.internal.99999999-2222-3333-4444-555555555555.consul")] // other trust domain
    [InlineData("magic.default.dc1.query.11111111-2222-3333-4444-555555555555.consul")]  // prepared query
    public async Task Gateway_closes_names_it_does_not_serve_with_NoRoute(string serverName)
    {
        await using var db = new TlsEchoServer("db", serverName);
        await using var dc1 = ForwarderHarness.Start(b => b.UseRouteResolver(new MeshGatewayRouterBuilder("dc1", null, TrustDomain)
            .AddLocalService("web", [new UpstreamEndpoint(db.EndPoint)])
            .AddRemoteGateway("dc2", [new UpstreamEndpoint(db.EndPoint)])
            .Build()));

        await Assert.ThrowsAnyAsync<IOException>(() => TlsClient.ConnectAsync(dc1.EndPoint, serverName, db.Certificate));

        var (_, result) = await dc1.Observer.NextClosedAsync();
        Assert.Equal(CloseCause.NoRoute, result.Cause);
    }

    [Fact]
    public async Task Gateway_closes_a_hello_without_sni_with_NoRoute()
    {
        byte[] hello = CaptureFiles.ClientHello("openssl-no-sni.bin");
        await using var dc1 = ForwarderHarness.Start(b => b.UseRouteResolver(new MeshGatewayRouterBuilder("dc1", null, TrustDomain)
            .AddRemoteGateway("dc2", [new UpstreamEndpoint(new IPEndPoint(IPAddress.Loopback, 9))])
            .Build()));
        using Socket client = await dc1.ConnectAsync();

        await Loopback.SendAllAsync(client, hello);

        var (context, result) = await dc1.Observer.NextClosedAsync();
        Assert.Equal(CloseCause.NoRoute, result.Cause);
        Assert.Null(context.ClientHello!.ServerName);
    }

    private static async Task<int> RoutedCountAsync(ForwarderHarness gateway, string routeId)
    {
        // Every connection through this gateway has ended once the client is done; count those with the route.
        await gateway.Forwarder.DrainAsync(TimeSpan.Zero, TestContext.Current.CancellationToken);
        int count = 0;
        while (gateway.Observer.TryReadClosed(out var closed))
        {
            if (closed.Context.Route?.Id == routeId)
            {
                count++;
            }
        }

        return count;
    }
}
