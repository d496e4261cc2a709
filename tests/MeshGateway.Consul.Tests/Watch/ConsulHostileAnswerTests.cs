using MeshGateway.Consul.Tests.Infrastructure;
using MeshGateway.Consul.Watch;
using MeshGateway.Testing.Consul;

namespace MeshGateway.Consul.Tests.Watch;

public class ConsulHostileAnswerTests
{
    [Theory]
    [InlineData("not json at all")]
    [InlineData("""{"web": 5}""")]
    [InlineData("null")]
    [InlineData("""["web"]""")]
    public async Task Unreadable_service_list_is_reported_and_the_watch_recovers_when_the_answer_is_good_again(string garbage)
    {
        await using FakeConsulAgent agent = await FakeConsulAgent.StartAsync();
        agent.Set("/v1/catalog/services", garbage);
        agent.Set("/v1/health/connect/web", Catalog.List(Catalog.Proxy("web", "node-a", "10.0.0.1", "10.0.1.1", 21000)));
        await using ConsulMeshWatcher watcher = WatcherFixture.Create(agent, WatcherFixture.Options with { WatchConfigEntries = false, TrustDomain = "t.consul" });

        watcher.Start();
        await agent.WaitForRequestsAsync("/v1/catalog/services", 2, TestContext.Current.CancellationToken);

        Assert.Empty(watcher.Current.LocalServices);
        agent.Set("/v1/catalog/services", Catalog.Services("web"));
        ConsulMeshSnapshot snapshot = await watcher.WaitUntilAsync(s => s.LocalServices.ContainsKey("web"));

        Assert.Single(snapshot.LocalServices["web"]);
    }

    [Fact]
    public async Task Instances_without_a_usable_port_or_address_are_skipped()
    {
        await using FakeConsulAgent agent = await FakeConsulAgent.StartAsync();
        agent.Set("/v1/catalog/services", Catalog.Services("web"));
        agent.Set("/v1/health/connect/web", Catalog.List(
            Catalog.Proxy("web", "node-a", "10.0.0.1", "10.0.1.1", 0),
            Catalog.Proxy("web", "node-b", "10.0.0.2", "10.0.1.2", 70000),
            Catalog.Proxy("web", "node-c", "", "", 21000),
            Catalog.Proxy("web", "node-d", "10.0.0.4", "10.0.1.4", 21000)));
        await using ConsulMeshWatcher watcher = WatcherFixture.Create(agent);

        watcher.Start();
        ConsulMeshSnapshot snapshot = await watcher.WaitUntilAsync(s => s.LocalServices.ContainsKey("web"));

        Assert.Equal("node-d", Assert.Single(snapshot.LocalServices["web"]).Node);
    }
}
