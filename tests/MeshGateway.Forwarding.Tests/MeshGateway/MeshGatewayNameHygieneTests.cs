using System.Net;
using MeshGateway.Forwarding;
using MeshGateway.Naming;

namespace MeshGateway.Forwarding.Tests.MeshGateway;

/// <summary>Issue 14, items 3 and 6, at the resolver the forwarder calls: hostile names and the own-partition case.</summary>
public class MeshGatewayNameHygieneTests
{
    private const string Td = "11111111-2222-3333-4444-555555555555.consul";

    [Theory]
    [InlineData("web\nclosed 203.0.113.9:4711 reason=Completed route=FORGED x.default.dc2.internal.{td}")]
    [InlineData("we b.default.dc2.internal.{td}")]
    [InlineData("a=b.default.dc2.internal.{td}")]
    [InlineData("caf\u00e9.default.dc2.internal.{td}")]
    [InlineData("caf\uFFFD.default.dc2.internal.{td}")]
    public async Task A_name_with_a_byte_outside_the_label_characters_is_not_forwarded_to_a_remote_datacenter(string sni)
    {
        MeshGatewayRouteResolver router = new MeshGatewayRouterBuilder("dc1", null, Td)
            .AddRemoteGateway("dc2", [new UpstreamEndpoint(new IPEndPoint(IPAddress.Loopback, 9002))])
            .Build();

        ForwardRoute? route = await router.ResolveAsync(TestContexts.WithSni(sni.Replace("{td}", Td, StringComparison.Ordinal)), TestContext.Current.CancellationToken);

        Assert.Null(route);
        Assert.NotNull(await router.ResolveAsync(TestContexts.WithSni("web.default.dc2.internal." + Td), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Remote_key_of_the_gateways_own_partition_in_another_case_does_not_forward_unknown_own_names()
    {
        // --partition Foo with dc1/foo=...: that key is the gateway's own, so an unknown service of its own partition closes.
        MeshGatewayRouteResolver router = new MeshGatewayRouterBuilder("dc1", "Foo", Td)
            .AddLocalService("api", [new UpstreamEndpoint(new IPEndPoint(IPAddress.Loopback, 9001))])
            .AddRemoteGateway("dc1", [new UpstreamEndpoint(new IPEndPoint(IPAddress.Loopback, 9002))], partition: "foo")
            .Build();

        Assert.Null(await router.ResolveAsync(TestContexts.WithSni("unknown.default.foo.dc1.internal-v1." + Td), TestContext.Current.CancellationToken));
        ForwardRoute? local = await router.ResolveAsync(TestContexts.WithSni("api.default.Foo.dc1.internal-v1." + Td), TestContext.Current.CancellationToken);
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 9001), Assert.Single(local!.Cluster.Endpoints).EndPoint);
    }

    [Fact]
    public void Service_sni_with_characters_no_client_sends_is_refused_when_built()
    {
        var builder = new MeshGatewayRouterBuilder("dc1", null, Td)
            .AddServiceSni("web server.default.dc1.internal." + Td, [new UpstreamEndpoint(new IPEndPoint(IPAddress.Loopback, 9001))]);

        var error = Assert.Throws<SniRouteTableException>(() => builder.Build());

        Assert.Contains("U+0020", Assert.Single(error.Errors), StringComparison.Ordinal);
    }
}
