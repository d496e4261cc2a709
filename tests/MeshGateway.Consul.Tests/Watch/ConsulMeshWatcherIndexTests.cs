using MeshGateway.Consul.Tests.Infrastructure;
using MeshGateway.Consul.Watch;
using MeshGateway.Testing.Consul;

namespace MeshGateway.Consul.Tests.Watch;

public class ConsulMeshWatcherIndexTests
{
    [Fact]
    public async Task Index_going_backwards_resets_it_so_the_next_read_does_not_block()
    {
        await using FakeConsulAgent agent = await FakeConsulAgent.StartAsync();
        agent.Set("/v1/catalog/services", Catalog.Services("web"));
        await using ConsulMeshWatcher watcher = WatcherFixture.Create(agent);
        watcher.Start();
        await agent.WaitForRequestsAsync("/v1/catalog/services", 2, TestContext.Current.CancellationToken);

        // A snapshot restore: the catalog comes back with a lower index.
        agent.Set("/v1/health/connect/db", Catalog.List(Catalog.Proxy("db", "node-c", "10.0.0.3", "10.0.1.3", 21000)));
        agent.SetWithIndex("/v1/catalog/services", Catalog.Services("web", "db"), 3);
        await watcher.WaitUntilAsync(s => s.LocalServices.ContainsKey("db"));
        await agent.WaitForRequestsAsync("/v1/catalog/services", 4, TestContext.Current.CancellationToken);

        IReadOnlyList<RecordedRequest> requests = agent.RequestsTo("/v1/catalog/services");
        Assert.Null(requests[0].Index);                  // the first read
        Assert.True(requests[1].Index > 3);              // blocked with the old, higher index
        Assert.Null(requests[2].Index);                  // reset: a plain read
        Assert.Equal(3UL, requests[3].Index);            // then blocks from the restored index
    }

    [Fact]
    public async Task Index_of_zero_is_treated_as_one_so_the_query_still_blocks()
    {
        await using FakeConsulAgent agent = await FakeConsulAgent.StartAsync();
        agent.SetWithIndex("/v1/catalog/services", Catalog.Services("web"), 0);
        await using ConsulMeshWatcher watcher = WatcherFixture.Create(agent);
        watcher.Start();

        await agent.WaitForRequestsAsync("/v1/catalog/services", 2, TestContext.Current.CancellationToken);

        IReadOnlyList<RecordedRequest> requests = agent.RequestsTo("/v1/catalog/services");
        Assert.Null(requests[0].Index);
        Assert.Equal(1UL, requests[1].Index);
        Assert.Equal("120s", requests[1].QueryValue("wait"));
    }
}
