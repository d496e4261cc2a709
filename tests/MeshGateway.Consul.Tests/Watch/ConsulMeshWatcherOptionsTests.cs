using MeshGateway.Consul.Client;
using MeshGateway.Consul.Tests.Infrastructure;
using MeshGateway.Consul.Watch;
using MeshGateway.Testing.Consul;

namespace MeshGateway.Consul.Tests.Watch;

public class ConsulMeshWatcherOptionsTests
{
    [Fact]
    public void Defaults_are_valid_once_a_datacenter_is_known_and_stay_under_consuls_connection_limit()
    {
        var options = new ConsulMeshWatcherOptions();

        Assert.Empty(options.Validate("dc1"));
        Assert.Equal(64, options.MaxConcurrentQueries);
        Assert.True(options.MaxConcurrentQueries < ConsulMeshWatcherOptions.ConsulDefaultMaxConnectionsPerClient);
        Assert.Equal(TimeSpan.FromMinutes(5), options.WaitTime);
    }

    [Fact]
    public void Every_invalid_option_is_reported_at_once()
    {
        var options = new ConsulMeshWatcherOptions
        {
            GatewayServiceName = "mesh gateway",
            TrustDomain = "not a domain",
            WaitTime = TimeSpan.FromMinutes(11),
            MaxConcurrentQueries = 201,
            RetryBaseDelay = TimeSpan.FromSeconds(5),
            RetryMaxDelay = TimeSpan.FromSeconds(1),
        };

        var error = Assert.Throws<ArgumentException>(() => new ConsulMeshWatcher(ConsulClientOptions.Create(null, _ => null), options));

        foreach (string expected in new[] { "datacenter is required", "'mesh gateway'", "'not a domain'", "10 minutes", "201", "RetryBaseDelay" })
        {
            Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Namespace_and_partition_are_sent_with_every_query()
    {
        await using FakeConsulAgent agent = await FakeConsulAgent.StartAsync();
        agent.Set("/v1/catalog/services", Catalog.Services("web"));
        agent.Set("/v1/health/connect/web", Catalog.List(Catalog.Proxy("web", "node-a", "10.0.0.1", "10.0.1.1", 21000, ns: "team-a", partition: "part-1")));
        ConsulClientOptions client = ConsulClientOptions.Create(
            new ConsulClientSettings { Address = agent.Address.ToString(), Datacenter = "dc1", Namespace = "team-a", Partition = "part-1" },
            _ => null);
        await using var watcher = new ConsulMeshWatcher(client, WatcherFixture.Options);

        watcher.Start();
        await watcher.WaitUntilAsync(s => s.LocalServices.ContainsKey("web"));

        Assert.All(agent.Requests, r => Assert.Equal(("team-a", "part-1"), (r.QueryValue("ns"), r.QueryValue("partition"))));
    }
}
