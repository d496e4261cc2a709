using System.Net;
using MeshGateway.Forwarding;
using MeshGateway.Naming;

namespace MeshGateway.Forwarding.Tests.MeshGateway;

/// <summary>Consul spec §4.3's decision table, for a gateway in dc1 (default partition).</summary>
public class MeshGatewayRouteResolverTests
{
    private const string Td = "11111111-2222-3333-4444-555555555555.consul";

    private static readonly MeshGatewayRouteResolver Router = new MeshGatewayRouterBuilder("dc1", null, Td)
        .AddLocalService("bar", Endpoints(1))
        .AddLocalService("foo", Endpoints(2))
        .AddServiceSni($"v1.bar.default.dc1.internal.{Td}", Endpoints(3))
        .AddRemoteGateway("dc2", Endpoints(4))
        .AddRemoteGateway("dc4", Endpoints(5))
        .AddRemoteGateway("dc2", Endpoints(6), partition: "part1")
        .AddRemoteGateway("dc1", Endpoints(7)) // the gateway's own key is skipped, as Consul does
        .Build();

    [Theory]
    [InlineData("bar.default.dc1.internal.{td}", "bar.default.dc1.internal.{td}")]
    [InlineData("BAR.default.dc1.internal.{td}", "bar.default.dc1.internal.{td}")]
    [InlineData("v1.bar.default.dc1.internal.{td}", "v1.bar.default.dc1.internal.{td}")]
    [InlineData("api.default.dc2.internal.{td}", "dc2.internal.{td}")]
    [InlineData("v2.web.ns1.dc4.internal.{td}", "dc4.internal.{td}")]
    [InlineData("api.default.part1.dc2.internal-v1.{td}", "part1.dc2.internal-v1.{td}")]
    [InlineData("dc2.internal.{td}", "dc2.internal.{td}")]
    [InlineData("baz.default.dc1.internal.{td}", null)]
    [InlineData("api.default.dc9.internal.{td}", null)]
    [InlineData("foo.default.dc1.internal.other.consul", null)]
    [InlineData("magic.default.dc1.query.{td}", null)]
    [InlineData("api.default.dc1.internal.{td}", null)]
    public async Task Sni_routes_as_consul_does(string sni, string? expectedCluster)
    {
        ForwardRoute? route = await Router.ResolveAsync(TestContexts.WithSni(sni.Replace("{td}", Td, StringComparison.Ordinal)), TestContext.Current.CancellationToken);

        Assert.Equal(expectedCluster?.Replace("{td}", Td, StringComparison.Ordinal), route?.Cluster.Name);
    }

    [Fact]
    public async Task No_sni_and_not_tls_have_no_route()
    {
        Assert.Null(await Router.ResolveAsync(TestContexts.WithSni(null), TestContext.Current.CancellationToken));
        Assert.Null(await Router.ResolveAsync(TestContexts.Create(null, null, $"bar.default.dc1.internal.{Td}", global::MeshGateway.ClientHello.ClientHelloStatus.NotTls), TestContext.Current.CancellationToken));
    }

    [Fact]
    public void Invalid_names_are_all_reported_at_once()
    {
        var builder = new MeshGatewayRouterBuilder("dc1", null, Td)
            .AddLocalService("bad.name", Endpoints(1))
            .AddRemoteGateway("DC 2", Endpoints(2));

        var error = Assert.Throws<SniRouteTableException>(() => builder.Build());

        Assert.True(error.Errors.Count >= 2, string.Join("; ", error.Errors));
    }

    private static UpstreamEndpoint[] Endpoints(int port) => [new UpstreamEndpoint(new IPEndPoint(IPAddress.Loopback, 9000 + port))];
}
