using System.Net;
using System.Text.Json;
using MeshGateway.Testing.Consul;

namespace MeshGateway.Cli.Tests.Processes.Consul;

/// <summary>
/// Issue 17: <c>meshgw gateway --consul URL --register</c> registers the gateway with its agent as a mesh gateway once it
/// listens, and deregisters it when it drains on SIGTERM. The real tool as a process against the in-repo Consul API
/// server; the body is checked against the fields of Consul's <c>PUT /v1/agent/service/register</c>.
/// </summary>
public class GatewayRegisterProcessTests
{
    [Fact]
    public async Task Registers_as_a_mesh_gateway_at_the_bound_port_and_deregisters_on_sigterm()
    {
        await using FakeConsulAgent agent = await FakeConsulAgent.StartAsync();
        agent.Set("/v1/connect/ca/roots", Catalog.Roots("7f42f496-fbc7-8692-05ed-334aa5340c1e.consul"));
        agent.Set("/v1/catalog/services", Catalog.Services("consul"));
        using MeshgwProcess gateway = MeshgwProcess.Start(
            "gateway", "--listen", "127.0.0.1:0", "--datacenter", "dc1", "--consul", agent.Address.ToString(),
            "--register", "--register-wan-address", "198.51.100.7:8443", "--no-connection-log");
        using var patience = new CancellationTokenSource(Catalog.Patience);

        string ready = (await gateway.Process.StandardOutput.ReadLineAsync(patience.Token))!;
        Assert.Matches(@"^listening on 127\.0\.0\.1:\d+$", ready);
        int port = IPEndPoint.Parse(ready["listening on ".Length..]).Port;
        await agent.WaitForRequestsAsync("/v1/agent/service/register", 1, patience.Token);

        RecordedRequest register = Assert.Single(agent.RequestsTo("/v1/agent/service/register"));
        Assert.Equal("PUT", register.Method);
        using (JsonDocument body = JsonDocument.Parse(register.Body))
        {
            JsonElement service = body.RootElement;
            Assert.Equal("mesh-gateway", service.GetProperty("Kind").GetString());
            Assert.Equal("mesh-gateway", service.GetProperty("Name").GetString());
            Assert.Equal($"mesh-gateway-127.0.0.1-{port}", service.GetProperty("ID").GetString());
            Assert.Equal(("127.0.0.1", port), (service.GetProperty("Address").GetString(), service.GetProperty("Port").GetInt32()));
            JsonElement tagged = service.GetProperty("TaggedAddresses");
            Assert.Equal(("127.0.0.1", port), (tagged.GetProperty("lan").GetProperty("Address").GetString(), tagged.GetProperty("lan").GetProperty("Port").GetInt32()));
            Assert.Equal(("198.51.100.7", 8443), (tagged.GetProperty("wan").GetProperty("Address").GetString(), tagged.GetProperty("wan").GetProperty("Port").GetInt32()));
            JsonElement check = service.GetProperty("Check");
            Assert.Equal($"127.0.0.1:{port}", check.GetProperty("TCP").GetString());
            Assert.Equal("10s", check.GetProperty("Interval").GetString());
        }

        // The gateway says it registered once the agent accepted it.
        string? line;
        do
        {
            line = await gateway.Process.StandardError.ReadLineAsync(patience.Token);
        }
        while (line is not null && !line.StartsWith("consul: registered ", StringComparison.Ordinal));

        Assert.Equal($"consul: registered mesh-gateway (ID mesh-gateway-127.0.0.1-{port}) at 127.0.0.1:{port}", line);
        Assert.Empty(agent.RequestsTo($"/v1/agent/service/deregister/mesh-gateway-127.0.0.1-{port}"));
        await gateway.TerminateAsync();
        string rest = await gateway.Process.StandardOutput.ReadToEndAsync(patience.Token);
        string error = await gateway.Process.StandardError.ReadToEndAsync(patience.Token);
        await gateway.Process.WaitForExitAsync(patience.Token);

        Assert.Equal(0, gateway.Process.ExitCode);
        RecordedRequest deregister = Assert.Single(agent.RequestsTo($"/v1/agent/service/deregister/mesh-gateway-127.0.0.1-{port}"));
        Assert.Equal("PUT", deregister.Method);
        Assert.Contains($"consul: deregistered mesh-gateway-127.0.0.1-{port}", error, StringComparison.Ordinal);
        Assert.EndsWith("stopped" + Environment.NewLine, rest, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_registration_the_agent_refuses_stops_the_gateway_with_exit_1()
    {
        await using FakeConsulAgent agent = await FakeConsulAgent.StartAsync();
        agent.RequiredToken = "right";

        var (code, _, error) = await MeshgwProcess.RunAsync(
            "gateway", "--listen", "127.0.0.1:0", "--datacenter", "dc1", "--consul", agent.Address.ToString(), "--consul-token", "wrong",
            "--register", "--no-connection-log");

        Assert.Equal(1, code);
        Assert.Contains("consul: cannot register the gateway: PUT /v1/agent/service/register: the Consul agent answered HTTP 403", error, StringComparison.Ordinal);
    }
}
