using MeshGateway.Consul.Tests.Infrastructure;
using MeshGateway.Consul.Watch;
using MeshGateway.Testing.Consul;

namespace MeshGateway.Consul.Tests.Watch;

public class ConsulMeshWatcherLiveUpdateTests
{
    [Fact]
    public async Task Catalog_change_reaches_the_snapshot_within_one_blocking_round_trip()
    {
        await using FakeConsulAgent agent = await FakeConsulAgent.StartAsync();
        agent.Set("/v1/catalog/services", Catalog.Services("web"));
        agent.Set("/v1/health/connect/web", Catalog.List(Catalog.Proxy("web", "node-a", "10.0.0.1", "10.0.1.1", 21000)));
        await using ConsulMeshWatcher watcher = WatcherFixture.Create(agent);
        watcher.Start();
        await watcher.WaitUntilAsync(s => s.LocalServices.ContainsKey("web"));
        // The watch is now held by the agent with the current index (a blocking query of two minutes).
        await agent.WaitForRequestsAsync("/v1/health/connect/web", 2, TestContext.Current.CancellationToken);
        int before = agent.RequestsTo("/v1/health/connect/web").Count;

        agent.Set("/v1/health/connect/web", Catalog.List(
            Catalog.Proxy("web", "node-a", "10.0.0.1", "10.0.1.1", 21000),
            Catalog.Proxy("web", "node-b", "10.0.0.2", "10.0.1.2", 21000)));
        ConsulMeshSnapshot snapshot = await watcher.WaitUntilAsync(s => s.LocalServices["web"].Count == 2);

        // The held query answered the change: no new query was needed to see it.
        IReadOnlyList<RecordedRequest> requests = agent.RequestsTo("/v1/health/connect/web");
        Assert.Equal(2, snapshot.LocalServices["web"].Count);
        Assert.True(requests.Count <= before + 1, $"{requests.Count - before} queries after the change");
        Assert.NotNull(requests[before - 1].Index);
    }

    [Fact]
    public async Task Removed_instance_and_removed_service_leave_the_snapshot()
    {
        await using FakeConsulAgent agent = await FakeConsulAgent.StartAsync();
        agent.Set("/v1/catalog/services", Catalog.Services("web", "db"));
        agent.Set("/v1/health/connect/web", Catalog.List(
            Catalog.Proxy("web", "node-a", "10.0.0.1", "10.0.1.1", 21000),
            Catalog.Proxy("web", "node-b", "10.0.0.2", "10.0.1.2", 21000)));
        agent.Set("/v1/health/connect/db", Catalog.List(Catalog.Proxy("db", "node-c", "10.0.0.3", "10.0.1.3", 21000)));
        await using ConsulMeshWatcher watcher = WatcherFixture.Create(agent);
        watcher.Start();
        ConsulMeshSnapshot full = await watcher.WaitUntilAsync(s => s.LocalServices.Count == 2 && s.LocalServices["web"].Count == 2);

        agent.Set("/v1/health/connect/web", Catalog.List(Catalog.Proxy("web", "node-b", "10.0.0.2", "10.0.1.2", 21000)));
        ConsulMeshSnapshot oneLeft = await watcher.WaitUntilAsync(s => s.LocalServices["web"].Count == 1);
        agent.Set("/v1/catalog/services", Catalog.Services("web"));
        ConsulMeshSnapshot dbGone = await watcher.WaitUntilAsync(s => !s.LocalServices.ContainsKey("db"));

        Assert.Equal("node-b", Assert.Single(oneLeft.LocalServices["web"]).Node);
        Assert.Equal("node-b", Assert.Single(dbGone.LocalServices["web"]).Node);
        Assert.Equal(2, full.LocalServices["web"].Count); // an earlier snapshot is never changed in place
        Assert.True(dbGone.Version > oneLeft.Version && oneLeft.Version > full.Version);
    }

    [Fact]
    public async Task New_datacenter_is_followed_and_its_gateways_appear()
    {
        await using FakeConsulAgent agent = await FakeConsulAgent.StartAsync();
        agent.Set("/v1/catalog/datacenters", Catalog.Datacenters("dc1"));
        await using ConsulMeshWatcher watcher = WatcherFixture.Create(agent);
        watcher.Start();
        await agent.WaitForRequestsAsync("/v1/catalog/datacenters", 2, TestContext.Current.CancellationToken);

        agent.Set("/v1/health/service/mesh-gateway?dc=dc2", Catalog.List(Catalog.Gateway("gw-2", "10.2.0.1", null, "10.2.0.10", 8443, null, 0)));
        agent.Set("/v1/catalog/datacenters", Catalog.Datacenters("dc1", "dc2"));
        ConsulMeshSnapshot snapshot = await watcher.WaitUntilAsync(s => s.RemoteDatacenters.ContainsKey("dc2"));

        Assert.Equal("10.2.0.10", Assert.Single(snapshot.RemoteDatacenters["dc2"]).Host);
    }

    [Fact]
    public async Task Snapshot_changed_event_carries_each_new_snapshot()
    {
        await using FakeConsulAgent agent = await FakeConsulAgent.StartAsync();
        agent.Set("/v1/catalog/services", Catalog.Services("web"));
        agent.Set("/v1/health/connect/web", Catalog.List(Catalog.Proxy("web", "node-a", "10.0.0.1", "10.0.1.1", 21000)));
        await using ConsulMeshWatcher watcher = WatcherFixture.Create(agent);
        var seen = new TaskCompletionSource<ConsulMeshSnapshot>(TaskCreationOptions.RunContinuationsAsynchronously);
        watcher.SnapshotChanged += (_, s) =>
        {
            if (s.LocalServices.ContainsKey("web"))
            {
                seen.TrySetResult(s);
            }
        };

        watcher.Start();
        ConsulMeshSnapshot snapshot = await seen.Task.WaitAsync(Catalog.Patience, TestContext.Current.CancellationToken);

        Assert.Equal("10.0.1.1", Assert.Single(snapshot.LocalServices["web"]).Host);
    }
}
