using MeshGateway.Consul.Tests.Infrastructure;
using MeshGateway.Consul.Watch;
using MeshGateway.Modes;
using MeshGateway.Testing.Consul;

namespace MeshGateway.Consul.Tests.Watch;

public class ConsulMeshWatcherRoutingTests
{
    [Fact]
    public async Task Local_services_map_to_their_passing_connect_instances_at_the_service_address_else_the_node_address()
    {
        await using FakeConsulAgent agent = await FakeConsulAgent.StartAsync();
        agent.Set("/v1/catalog/services", Catalog.Services("consul", "web", "web-sidecar-proxy", "db", "mesh-gateway"));
        agent.Set("/v1/health/connect/web", Catalog.List(
            Catalog.Proxy("web", "node-a", "10.0.0.1", "10.0.1.1", 21000),
            Catalog.Proxy("web", "node-b", "10.0.0.2", "", 21001)));
        agent.Set("/v1/health/connect/db", Catalog.List(Catalog.Proxy("db", "node-c", "10.0.0.3", "10.0.1.3", 21002, ns: "team-a", partition: "part-1")));
        await using ConsulMeshWatcher watcher = WatcherFixture.Create(agent);

        watcher.Start();
        ConsulMeshSnapshot snapshot = await watcher.WaitUntilAsync(s => s.LocalServices.Count == 2);

        Assert.Equal(
            [("10.0.1.1", 21000, "node-a"), ("10.0.0.2", 21001, "node-b")],
            snapshot.LocalServices["web"].Select(e => (e.Host, e.Port, e.Node)));
        ConsulServiceEndpoint db = Assert.Single(snapshot.LocalServices["db"]);
        Assert.Equal(("db", "team-a", "part-1"), (db.Service, db.Namespace, db.Partition));
        Assert.Null(snapshot.LocalServices["web"][0].Namespace);
        Assert.Equal("dc1", snapshot.Datacenter);
    }

    [Fact]
    public async Task Only_services_that_carry_routes_are_watched()
    {
        await using FakeConsulAgent agent = await FakeConsulAgent.StartAsync();
        agent.Set("/v1/catalog/services", Catalog.Services("consul", "web", "web-sidecar-proxy", "mesh-gateway"));
        agent.Set("/v1/health/connect/web", Catalog.List(Catalog.Proxy("web", "node-a", "10.0.0.1", "10.0.1.1", 21000)));
        await using ConsulMeshWatcher watcher = WatcherFixture.Create(agent);

        watcher.Start();
        await watcher.WaitUntilAsync(s => s.LocalServices.ContainsKey("web"));

        string[] watched = agent.Requests.Where(r => r.Path.StartsWith("/v1/health/connect/", StringComparison.Ordinal))
            .Select(r => r.Path).Distinct().ToArray();
        Assert.Equal(["/v1/health/connect/web"], watched);
        Assert.All(agent.RequestsTo("/v1/health/connect/web"), r => Assert.Equal("", r.QueryValue("passing")));
    }

    [Fact]
    public async Task Remote_datacenters_map_to_gateways_at_the_service_wan_address_else_the_node_wan_address_else_the_service_address()
    {
        await using FakeConsulAgent agent = await FakeConsulAgent.StartAsync();
        agent.Set("/v1/catalog/datacenters", Catalog.Datacenters("dc1", "dc2", "dc3", "dc4"));
        agent.Set("/v1/health/service/mesh-gateway?dc=dc2", Catalog.List(
            Catalog.Gateway("gw-2", "10.2.0.1", "198.51.100.2", "10.2.0.10", 8443, "203.0.113.2", 443)));
        agent.Set("/v1/health/service/mesh-gateway?dc=dc3", Catalog.List(
            Catalog.Gateway("gw-3", "10.3.0.1", "198.51.100.3", "10.3.0.10", 8443, null, 0)));
        agent.Set("/v1/health/service/mesh-gateway?dc=dc4", Catalog.List(
            Catalog.Gateway("gw-4", "10.4.0.1", null, "10.4.0.10", 8443, null, 0)));
        await using ConsulMeshWatcher watcher = WatcherFixture.Create(agent);

        watcher.Start();
        ConsulMeshSnapshot snapshot = await watcher.WaitUntilAsync(s => s.RemoteDatacenters.Count == 3);

        Assert.False(snapshot.RemoteDatacenters.ContainsKey("dc1"));
        Assert.Equal(("203.0.113.2", 443), Endpoint(snapshot, "dc2"));
        Assert.Equal(("198.51.100.3", 8443), Endpoint(snapshot, "dc3"));
        Assert.Equal(("10.4.0.10", 8443), Endpoint(snapshot, "dc4"));
        Assert.DoesNotContain(agent.Requests, r => r.Path == "/v1/health/service/mesh-gateway" && r.QueryValue("dc") == "dc1");
    }

    [Fact]
    public async Task Gateway_service_name_is_configurable()
    {
        await using FakeConsulAgent agent = await FakeConsulAgent.StartAsync();
        agent.Set("/v1/catalog/datacenters", Catalog.Datacenters("dc1", "dc2"));
        agent.Set("/v1/health/service/edge-gw?dc=dc2", Catalog.List(Catalog.Gateway("gw-2", "10.2.0.1", null, "10.2.0.10", 8443, null, 0)));
        await using ConsulMeshWatcher watcher = WatcherFixture.Create(agent, WatcherFixture.Options with { GatewayServiceName = "edge-gw" });

        watcher.Start();
        ConsulMeshSnapshot snapshot = await watcher.WaitUntilAsync(s => s.RemoteDatacenters.ContainsKey("dc2"));

        Assert.Equal(("10.2.0.10", 8443), Endpoint(snapshot, "dc2"));
    }

    [Fact]
    public async Task Trust_domain_comes_from_the_ca_roots_unless_given()
    {
        await using FakeConsulAgent agent = await FakeConsulAgent.StartAsync();
        agent.Set("/v1/connect/ca/roots", Catalog.Roots("7f42f496-fbc7-8692-05ed-334aa5340c1e.consul"));
        await using ConsulMeshWatcher read = WatcherFixture.Create(agent);
        await using ConsulMeshWatcher given = WatcherFixture.Create(agent, WatcherFixture.Options with { TrustDomain = "given.consul" });

        read.Start();
        given.Start();
        ConsulMeshSnapshot snapshot = await read.WaitUntilAsync(s => s.TrustDomain is not null);
        await given.WaitUntilAsync(s => s.Version > 0);

        Assert.Equal("7f42f496-fbc7-8692-05ed-334aa5340c1e.consul", snapshot.TrustDomain);
        Assert.Equal("given.consul", given.Current.TrustDomain);
        Assert.Equal(1, agent.RequestsTo("/v1/connect/ca/roots").Count(r => r.Index is null));
    }

    [Fact]
    public async Task Config_entries_from_the_api_are_read_with_the_modes_reader()
    {
        await using FakeConsulAgent agent = await FakeConsulAgent.StartAsync();
        agent.Set("/v1/config/proxy-defaults/global",
            """{"Kind":"proxy-defaults","Name":"global","MeshGateway":{"Mode":"local"},"CreateIndex":20,"ModifyIndex":20}""");
        agent.Set("/v1/config/service-defaults",
            """[{"Kind":"service-defaults","Name":"web","Protocol":"tcp","MeshGateway":{"Mode":"remote"},"CreateIndex":21,"ModifyIndex":21}]""");
        await using ConsulMeshWatcher watcher = WatcherFixture.Create(agent);

        watcher.Start();
        ConsulMeshSnapshot snapshot = await watcher.WaitUntilAsync(s => s.Modes?.ServiceDefaults.Count == 1 && s.Modes.ProxyDefaults.Count == 1);

        Assert.Empty(snapshot.ModeErrors);
        Assert.Equal(MeshGatewayMode.Local, snapshot.Modes!.FindProxyDefaults(null)!.Mode);
        Assert.Equal("dc1", snapshot.Modes.Datacenter);
    }

    [Fact]
    public async Task Invalid_config_entry_is_reported_and_the_last_good_modes_stay()
    {
        await using FakeConsulAgent agent = await FakeConsulAgent.StartAsync();
        agent.Set("/v1/config/proxy-defaults/global", """{"Kind":"proxy-defaults","Name":"global","MeshGateway":{"Mode":"local"}}""");
        await using ConsulMeshWatcher watcher = WatcherFixture.Create(agent);
        watcher.Start();
        ConsulMeshSnapshot good = await watcher.WaitUntilAsync(s => s.Modes?.ProxyDefaults.Count == 1);

        agent.Set("/v1/config/proxy-defaults/global", """{"Kind":"proxy-defaults","Name":"global","MeshGateway":{"Mode":"sideways"}}""");
        ConsulMeshSnapshot bad = await watcher.WaitUntilAsync(s => s.ModeErrors.Count > 0);

        Assert.Equal(MeshGatewayMode.Local, good.Modes!.FindProxyDefaults(null)!.Mode);
        Assert.Equal(MeshGatewayMode.Local, bad.Modes!.FindProxyDefaults(null)!.Mode);
        Assert.Contains(bad.ModeErrors, e => e.Message.Contains("sideways", StringComparison.Ordinal));
    }

    private static (string Host, int Port) Endpoint(ConsulMeshSnapshot snapshot, string dc)
    {
        ConsulGatewayEndpoint gateway = Assert.Single(snapshot.RemoteDatacenters[dc]);
        Assert.Equal(dc, gateway.Datacenter);
        return (gateway.Host, gateway.Port);
    }
}
