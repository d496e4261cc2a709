using MeshGateway.Consul.Gateway;
using MeshGateway.Consul.Tests.Infrastructure;
using MeshGateway.Testing.Consul;

namespace MeshGateway.Consul.Tests.Gateway;

/// <summary>
/// Issue 17: <c>service-resolver</c> subsets route <c>&lt;subset&gt;.&lt;svc&gt;.&lt;ns&gt;.&lt;dc&gt;.internal.&lt;td&gt;</c> to the
/// instances their filters select, <c>DefaultSubset</c> narrows the plain name, and a filter the gateway cannot evaluate
/// gives its subset no route and a logged reason. Real TLS clients through a real forwarder; the in-repo Consul API server.
/// </summary>
public class ConsulSubsetRoutingTests
{
    private const string Td = GatewayFixture.TrustDomain;

    private const string Resolver = """
        [ { "Kind": "service-resolver", "Name": "web", "DefaultSubset": "v1",
            "Subsets": {
              "v1": { "Filter": "Service.Meta.version == v1" },
              "v2": { "Filter": "Service.Meta.version == v2", "OnlyPassing": true },
              "canary": { "Filter": "\"canary\" in Service.Tags and Node.Meta.zone == \"z1\"" },
              "weighted": { "Filter": "Service.Weights.Passing == 1" } },
            "CreateIndex": 20, "ModifyIndex": 20 } ]
        """;

    [Fact]
    public async Task Subsets_route_to_the_instances_their_filters_select_and_the_default_subset_takes_the_plain_name()
    {
        await using var v1 = new LoopbackBackend();
        await using var v2 = new LoopbackBackend();
        await using var canary = new LoopbackBackend();
        await using FakeConsulAgent agent = await FakeConsulAgent.StartAsync();
        agent.Set("/v1/connect/ca/roots", Catalog.Roots(Td));
        agent.Set("/v1/catalog/services", Catalog.Services("web", "web-sidecar-proxy"));
        agent.Set("/v1/health/connect/web", Catalog.List(
            Instance("node-a", v1.Port, "v1", tags: "[]", zone: "z1"),
            Instance("node-b", v2.Port, "v2", tags: "[]", zone: "z1"),
            Instance("node-c", canary.Port, "v2", tags: "[\"canary\"]", zone: "z1")));
        agent.Set("/v1/config/service-resolver", Resolver);
        var logger = new ListLogger<ConsulGatewayRoutes>();
        await using GatewayFixture gateway = await GatewayFixture.StartAsync(agent, logger: logger);
        await gateway.WaitForRoutesAsync(s => s.LocalServices.ContainsKey("web") && s.ServiceResolvers.ContainsKey("web"));

        await gateway.DialAsync($"v1.web.default.dc1.internal.{Td}");
        await gateway.DialAsync($"web.default.dc1.internal.{Td}");
        await gateway.DialAsync($"canary.web.default.dc1.internal.{Td}");
        await gateway.DialAsync($"weighted.web.default.dc1.internal.{Td}");
        Assert.Equal((2, 0, 1), (v1.Accepted, v2.Accepted, canary.Accepted));

        // v2 selects node-b and node-c (both version v2): every dial lands on one of them, none on v1.
        for (int i = 0; i < 6; i++)
        {
            await gateway.DialAsync($"v2.web.default.dc1.internal.{Td}");
        }

        Assert.Equal(2, v1.Accepted);
        Assert.Equal(7, v2.Accepted + canary.Accepted);
        Assert.Contains(
            logger.Lines,
            l => l.StartsWith("Warning: Subset weighted of service web gets no route: selector Service.Weights.Passing is not one this gateway evaluates", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_resolver_change_is_applied_within_one_blocking_round_trip()
    {
        await using var v1 = new LoopbackBackend();
        await using var v2 = new LoopbackBackend();
        await using FakeConsulAgent agent = await FakeConsulAgent.StartAsync();
        agent.Set("/v1/connect/ca/roots", Catalog.Roots(Td));
        agent.Set("/v1/catalog/services", Catalog.Services("web"));
        agent.Set("/v1/health/connect/web", Catalog.List(
            Instance("node-a", v1.Port, "v1", tags: "[]", zone: "z1"), Instance("node-b", v2.Port, "v2", tags: "[]", zone: "z1")));
        await using GatewayFixture gateway = await GatewayFixture.StartAsync(agent);
        await gateway.WaitForRoutesAsync(s => s.LocalServices.ContainsKey("web"));
        await gateway.DialAsync($"stable.web.default.dc1.internal.{Td}");
        Assert.Equal(0, v1.Accepted + v2.Accepted);

        agent.Set("/v1/config/service-resolver", """[ { "Kind": "service-resolver", "Name": "web", "Subsets": { "stable": { "Filter": "Service.Meta.version == v2" } } } ]""");
        await gateway.WaitForRoutesAsync(s => s.ServiceResolvers.ContainsKey("web"));
        await gateway.DialAsync($"stable.web.default.dc1.internal.{Td}");

        Assert.Equal((0, 1), (v1.Accepted, v2.Accepted));
    }

    /// <summary>A <c>/v1/health/connect</c> entry with service metadata, tags and node metadata.</summary>
    private static string Instance(string node, int port, string version, string tags, string zone) => $$$"""
        {"Node":{"Node":"{{{node}}}","Address":"127.0.0.1","Datacenter":"dc1","Meta":{"zone":"{{{zone}}}"},"TaggedAddresses":{"lan":"127.0.0.1"}},
         "Service":{"ID":"web-sidecar-proxy-{{{node}}}","Service":"web-sidecar-proxy","Kind":"connect-proxy","Address":"127.0.0.1","Port":{{{port}}},
           "Tags":{{{tags}}},"Meta":{"version":"{{{version}}}"},"Proxy":{"DestinationServiceName":"web"}},
         "Checks":[]}
        """;
}
