using System.Net;
using System.Text.Json;
using MeshGateway.Consul.Client;
using MeshGateway.Consul.Registration;
using MeshGateway.Consul.Tests.Infrastructure;
using MeshGateway.Testing.Consul;

namespace MeshGateway.Consul.Tests.Registration;

public class ConsulGatewayRegistrarTests
{
    [Fact]
    public async Task Register_puts_a_mesh_gateway_with_lan_and_wan_tagged_addresses_and_a_tcp_check()
    {
        await using FakeConsulAgent agent = await FakeConsulAgent.StartAsync();
        using var registrar = new ConsulGatewayRegistrar(Client(agent, "write-token"));

        await registrar.RegisterAsync(
            new ConsulGatewayRegistration { Address = "10.0.0.5", Port = 8443, WanAddress = "203.0.113.5", WanPort = 443 },
            TestContext.Current.CancellationToken);

        RecordedRequest put = Assert.Single(agent.Requests);
        Assert.Equal(("PUT", "/v1/agent/service/register", "write-token"), (put.Method, put.Path, put.Token));
        using JsonDocument body = JsonDocument.Parse(put.Body);
        JsonElement root = body.RootElement;
        Assert.Equal("mesh-gateway", root.GetProperty("Kind").GetString());
        Assert.Equal("mesh-gateway", root.GetProperty("Name").GetString());
        Assert.Equal("mesh-gateway-10.0.0.5-8443", root.GetProperty("ID").GetString());
        Assert.Equal(("10.0.0.5", 8443), (root.GetProperty("Address").GetString(), root.GetProperty("Port").GetInt32()));
        JsonElement tagged = root.GetProperty("TaggedAddresses");
        Assert.Equal(("10.0.0.5", 8443), (tagged.GetProperty("lan").GetProperty("Address").GetString(), tagged.GetProperty("lan").GetProperty("Port").GetInt32()));
        Assert.Equal(("203.0.113.5", 443), (tagged.GetProperty("wan").GetProperty("Address").GetString(), tagged.GetProperty("wan").GetProperty("Port").GetInt32()));
        JsonElement check = root.GetProperty("Check");
        Assert.Equal("10.0.0.5:8443", check.GetProperty("TCP").GetString());
        Assert.Equal("10s", check.GetProperty("Interval").GetString());
        Assert.Equal("1800s", check.GetProperty("DeregisterCriticalServiceAfter").GetString());
    }

    [Fact]
    public async Task Deregister_puts_to_the_service_id()
    {
        await using FakeConsulAgent agent = await FakeConsulAgent.StartAsync();
        using var registrar = new ConsulGatewayRegistrar(Client(agent, null));
        var registration = new ConsulGatewayRegistration { Address = "::1", Port = 8443 };

        await registrar.DeregisterAsync(registration.ServiceId, TestContext.Current.CancellationToken);

        RecordedRequest put = Assert.Single(agent.Requests);
        Assert.Equal(("PUT", "/v1/agent/service/deregister/mesh-gateway-::1-8443"), (put.Method, put.Path));
    }

    [Fact]
    public void Tcp_check_of_an_ipv6_address_is_bracketed()
    {
        var json = ConsulGatewayRegistrar.ToJson(new ConsulGatewayRegistration { Address = "2001:db8::5", Port = 8443 });

        Assert.Equal("[2001:db8::5]:8443", json.Check!.TCP);
        Assert.Equal("2001:db8::5", json.TaggedAddresses!["wan"].Address);
    }

    [Fact]
    public async Task Refused_registration_throws_with_the_agents_status()
    {
        await using FakeConsulAgent agent = await FakeConsulAgent.StartAsync();
        agent.RequiredToken = "write-token";
        using var registrar = new ConsulGatewayRegistrar(Client(agent, "read-only"));

        var error = await Assert.ThrowsAsync<ConsulRequestException>(() => registrar.RegisterAsync(
            new ConsulGatewayRegistration { Address = "10.0.0.5", Port = 8443 }, TestContext.Current.CancellationToken));

        Assert.Equal(HttpStatusCode.Forbidden, error.StatusCode);
        Assert.DoesNotContain("read-only", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invalid_registration_reports_every_error_and_sends_nothing()
    {
        await using FakeConsulAgent agent = await FakeConsulAgent.StartAsync();
        using var registrar = new ConsulGatewayRegistrar(Client(agent, null));

        var error = await Assert.ThrowsAsync<ArgumentException>(() => registrar.RegisterAsync(
            new ConsulGatewayRegistration { Name = "mesh gateway", Address = "not an address", Port = 0, WanPort = 70000 },
            TestContext.Current.CancellationToken));

        Assert.Contains("service name 'mesh gateway'", error.Message, StringComparison.Ordinal);
        Assert.Contains("address 'not an address'", error.Message, StringComparison.Ordinal);
        Assert.Contains("port 0", error.Message, StringComparison.Ordinal);
        Assert.Contains("WAN port 70000", error.Message, StringComparison.Ordinal);
        Assert.Empty(agent.Requests);
    }

    private static ConsulClientOptions Client(FakeConsulAgent agent, string? token) =>
        ConsulClientOptions.Create(new ConsulClientSettings { Address = agent.Address.ToString(), Token = token }, _ => null);
}
