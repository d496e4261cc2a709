using MeshGateway.Consul.Tests.Infrastructure;
using MeshGateway.Consul.Watch;
using MeshGateway.Testing.Consul;

namespace MeshGateway.Consul.Tests.Watch;

public class ConsulTokenTests
{
    private const string Token = "6a1253d2-1785-24fd-91c2-f8e78c745511";

    [Fact]
    public async Task Token_goes_in_the_x_consul_token_header_of_every_query_and_never_in_a_url()
    {
        await using FakeConsulAgent agent = await FakeConsulAgent.StartAsync();
        agent.RequiredToken = Token;
        agent.Set("/v1/catalog/services", Catalog.Services("web"));
        agent.Set("/v1/health/connect/web", Catalog.List(Catalog.Proxy("web", "node-a", "10.0.0.1", "10.0.1.1", 21000)));
        await using ConsulMeshWatcher watcher = WatcherFixture.Create(agent, token: Token);

        watcher.Start();
        await watcher.WaitUntilAsync(s => s.LocalServices.ContainsKey("web"));

        Assert.All(agent.Requests, r => Assert.Equal(Token, r.Token));
        Assert.All(agent.Requests, r => Assert.DoesNotContain(Token, r.Query, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Refused_token_is_reported_in_the_status_and_logs_without_the_token()
    {
        await using FakeConsulAgent agent = await FakeConsulAgent.StartAsync();
        agent.RequiredToken = "another-token";
        var logger = new ListLogger<ConsulMeshWatcher>();
        await using ConsulMeshWatcher watcher = WatcherFixture.Create(agent, token: Token, logger: logger);

        watcher.Start();
        ConsulConnectionStatus status = await watcher.WaitForStatusAsync(s => s.LastError is not null);

        Assert.True(status.Connected); // the agent answered: it is there, the token is not good enough
        Assert.Contains("HTTP 403", status.LastError, StringComparison.Ordinal);
        Assert.Contains("ACL not found", status.LastError, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, status.LastError, StringComparison.Ordinal);
        Assert.NotEmpty(logger.Lines);
        Assert.All(logger.Lines, line => Assert.DoesNotContain(Token, line, StringComparison.Ordinal));
        Assert.Equal(0, watcher.Current.Version);
    }
}
