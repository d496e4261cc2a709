using System.Net;
using System.Net.Security;
using System.Text.Json;
using MeshGateway.Testing;
using MeshGateway.Testing.Consul;

namespace MeshGateway.Cli.Tests.Processes.Consul;

/// <summary>
/// Issue 17: <c>meshgw run</c> with a <c>consul</c> section, the real tool as a process against the in-repo Consul API
/// server: it routes the agent's services (the trust domain from the agent's CA roots), applies a catalog change,
/// sends the file's token rather than the environment's, and registers and deregisters as <c>meshgw gateway --register</c>.
/// </summary>
public class RunConsulProcessTests
{
    private const string TrustDomain = "7f42f496-fbc7-8692-05ed-334aa5340c1e.consul";
    private const string Sni = "web.default.dc1.internal." + TrustDomain;

    [Fact]
    public async Task Routes_from_the_agent_follows_a_catalog_change_and_registers_until_sigterm()
    {
        await using var before = new TlsEchoServer("web-a", Sni);
        await using var after = new TlsEchoServer("web-b", Sni);
        await using FakeConsulAgent agent = await AgentServingWebAsync(before.EndPoint.Port);
        agent.RequiredToken = "from-the-file";
        string config = ConfigFile($$"""
            {
              "datacenter": "dc1",
              "listeners": [ "127.0.0.1:0" ],
              "consul": { "address": "{{agent.Address}}", "token": "from-the-file",
                          "register": { "enabled": true, "name": "gw-run", "wanAddress": "198.51.100.7:8443" } }
            }
            """);

        // The environment names another token: the file wins, as meshgw gateway's flags do.
        using MeshgwProcess gateway = MeshgwProcess.Start(new Dictionary<string, string> { ["CONSUL_HTTP_TOKEN"] = "from-the-environment" }, "run", "--config", config);
        using var patience = new CancellationTokenSource(Catalog.Patience);
        string? line;
        do
        {
            line = await gateway.Process.StandardOutput.ReadLineAsync(patience.Token);
        }
        while (line is not null && !line.StartsWith("listening on ", StringComparison.Ordinal));

        Assert.NotNull(line);
        IPEndPoint endPoint = ListeningOn(line);
        do
        {
            line = await gateway.Process.StandardError.ReadLineAsync(patience.Token);
        }
        while (line is not null && !line.StartsWith("consul: routing from snapshot", StringComparison.Ordinal));

        Assert.Contains($"trust domain {TrustDomain}", line, StringComparison.Ordinal);
        await UntilServedAsync(endPoint, before, patience.Token);

        agent.Set("/v1/health/connect/web", Catalog.List(Catalog.Proxy("web", "node-b", "127.0.0.1", "127.0.0.1", after.EndPoint.Port)));
        // Until the blocking query wakes and the new route is swapped in (a connection that still reaches "web-a" fails
        // the client's check of "web-b"'s certificate).
        await UntilServedAsync(endPoint, after, patience.Token);

        // Once applied, the removed endpoint gets no new connection.
        int removedHandshakes = before.Handshakes;
        for (int i = 0; i < 5; i++)
        {
            Assert.Equal("web-b", await GreetingAsync(endPoint, after, patience.Token));
        }

        Assert.Equal(removedHandshakes, before.Handshakes);

        await agent.WaitForRequestsAsync("/v1/agent/service/register", 1, patience.Token);
        RecordedRequest register = Assert.Single(agent.RequestsTo("/v1/agent/service/register"));
        using (JsonDocument body = JsonDocument.Parse(register.Body))
        {
            Assert.Equal("mesh-gateway", body.RootElement.GetProperty("Kind").GetString());
            Assert.Equal("gw-run", body.RootElement.GetProperty("Name").GetString());
            Assert.Equal(endPoint.Port, body.RootElement.GetProperty("Port").GetInt32());
            Assert.Equal("198.51.100.7", body.RootElement.GetProperty("TaggedAddresses").GetProperty("wan").GetProperty("Address").GetString());
        }

        Assert.All(agent.Requests, r => Assert.Equal("from-the-file", r.Token));
        await gateway.TerminateAsync();
        await gateway.Process.WaitForExitAsync(patience.Token);

        Assert.Equal(0, gateway.Process.ExitCode);
        Assert.Single(agent.RequestsTo($"/v1/agent/service/deregister/gw-run-127.0.0.1-{endPoint.Port}"));
    }

    [Fact]
    public async Task Every_listener_serves_the_agents_routes_and_metrics_lines_are_printed()
    {
        await using var web = new TlsEchoServer("web-a", Sni);
        await using FakeConsulAgent agent = await AgentServingWebAsync(web.EndPoint.Port);
        string config = ConfigFile($$"""
            {
              "datacenter": "dc1",
              "listeners": [ "127.0.0.1:0", "127.0.0.1:0" ],
              "metrics": { "printInterval": "100ms" },
              "consul": { "address": "{{agent.Address}}" }
            }
            """);

        using MeshgwProcess gateway = MeshgwProcess.Start("run", "--config", config);
        using var patience = new CancellationTokenSource(Catalog.Patience);
        var listening = new List<IPEndPoint>();
        string? line = null;
        while (listening.Count < 2 && (line = await gateway.Process.StandardOutput.ReadLineAsync(patience.Token)) is not null)
        {
            if (line.StartsWith("listening on ", StringComparison.Ordinal))
            {
                listening.Add(ListeningOn(line));
            }
        }

        Assert.Equal(2, listening.Count);
        Assert.NotEqual(listening[0], listening[1]);
        foreach (IPEndPoint endPoint in listening)
        {
            await UntilServedAsync(endPoint, web, patience.Token);
        }

        do
        {
            line = await gateway.Process.StandardOutput.ReadLineAsync(patience.Token);
        }
        while (line is not null && !line.StartsWith("metrics active_connections=", StringComparison.Ordinal));

        Assert.NotNull(line);
        await gateway.TerminateAsync();
        await gateway.Process.WaitForExitAsync(patience.Token);
        Assert.Equal(0, gateway.Process.ExitCode);
    }

    /// <summary>The in-repo Consul API server with dc1's trust domain and one service, web, whose proxy is at <paramref name="port"/>.</summary>
    private static async Task<FakeConsulAgent> AgentServingWebAsync(int port)
    {
        FakeConsulAgent agent = await FakeConsulAgent.StartAsync();
        agent.Set("/v1/connect/ca/roots", Catalog.Roots(TrustDomain));
        agent.Set("/v1/catalog/services", Catalog.Services("web"));
        agent.Set("/v1/catalog/datacenters", Catalog.Datacenters("dc1"));
        agent.Set("/v1/health/connect/web", Catalog.List(Catalog.Proxy("web", "node-a", "127.0.0.1", "127.0.0.1", port)));
        return agent;
    }

    /// <summary>Writes <paramref name="json"/> as <c>gw.json</c> in a new folder; returns its path.</summary>
    private static string ConfigFile(string json)
    {
        string config = Path.Combine(Directory.CreateTempSubdirectory("meshgw-run-consul-").FullName, "gw.json");
        File.WriteAllText(config, json);
        return config;
    }

    /// <summary>The address of a <c>listening on HOST:PORT: what it serves</c> line.</summary>
    private static IPEndPoint ListeningOn(string line)
    {
        string rest = line["listening on ".Length..];
        int described = rest.IndexOf(": ", StringComparison.Ordinal);
        return IPEndPoint.Parse(described < 0 ? rest : rest[..described]);
    }

    /// <summary>Dials until <paramref name="server"/> answers: the first snapshot's services are watched one query later than the list.</summary>
    private static async Task UntilServedAsync(IPEndPoint gateway, TlsEchoServer server, CancellationToken cancellationToken)
    {
        while (await GreetingAsync(gateway, server, cancellationToken) != server.Name)
        {
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    /// <summary>The greeting of the server behind the gateway, when it is <paramref name="expected"/>; null when another answered or the connection was refused.</summary>
    private static async Task<string?> GreetingAsync(IPEndPoint gateway, TlsEchoServer expected, CancellationToken cancellationToken)
    {
        try
        {
            await using SslStream tls = await TlsClient.ConnectAsync(gateway, Sni, expected.Certificate);
            return await TlsClient.ReadGreetingAsync(tls);
        }
        catch (Exception e) when (e is IOException or System.Security.Authentication.AuthenticationException && !cancellationToken.IsCancellationRequested)
        {
            await Task.Yield();
            return null;
        }
    }
}
