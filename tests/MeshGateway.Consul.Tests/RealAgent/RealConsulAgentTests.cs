using MeshGateway.Consul.Client;
using MeshGateway.Consul.Watch;

namespace MeshGateway.Consul.Tests.RealAgent;

/// <summary>
/// Against a real Consul agent (for example <c>consul agent -dev</c>) named by <c>CONSUL_HTTP_ADDR</c> (and
/// <c>CONSUL_HTTP_TOKEN</c> when ACLs are on). No Consul binary is installable from this project's registries, so this
/// is the one test CI may skip, with that reason.
/// </summary>
public class RealConsulAgentTests
{
    [Fact]
    public async Task Real_agent_is_followed_into_a_snapshot()
    {
        if (string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("CONSUL_HTTP_ADDR")))
        {
            Assert.Skip("CONSUL_HTTP_ADDR is not set: no real Consul agent to test against (start `consul agent -dev` and export CONSUL_HTTP_ADDR=127.0.0.1:8500)");
        }

        // The dev agent's datacenter is dc1 unless told otherwise.
        string datacenter = Environment.GetEnvironmentVariable("MESHGW_CONSUL_DATACENTER") ?? "dc1";
        ConsulClientOptions client = ConsulClientOptions.Create(new ConsulClientSettings { Datacenter = datacenter });
        await using var watcher = new ConsulMeshWatcher(client, new ConsulMeshWatcherOptions { WaitTime = TimeSpan.FromSeconds(10) });

        watcher.Start();
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        ConsulMeshSnapshot snapshot = await watcher.WaitForChangeAsync(0, patience.Token);
        while (snapshot.TrustDomain is null)
        {
            snapshot = await watcher.WaitForChangeAsync(snapshot.Version, patience.Token);
        }

        Assert.True(watcher.Status.Connected, watcher.Status.LastError);
        Assert.EndsWith(".consul", snapshot.TrustDomain, StringComparison.Ordinal);
        Assert.Equal(datacenter, snapshot.Datacenter);
    }
}
