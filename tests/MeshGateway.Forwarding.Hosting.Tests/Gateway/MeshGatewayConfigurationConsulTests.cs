using Microsoft.Extensions.Configuration;

namespace MeshGateway.Forwarding.Hosting.Tests;

/// <summary>
/// Issue 17: the binder's <c>Entries</c>, <c>Service</c> and <c>Consul</c> keys (any case, unknown keys and wrong shapes
/// by path), and relative entry files read from the base directory the caller gives.
/// </summary>
public class MeshGatewayConfigurationConsulTests
{
    private const string Td = GatewaySections.Td;

    [Fact]
    public void The_consul_section_binds_in_any_case()
    {
        IConfigurationSection section = GatewaySections.Section(new()
        {
            ["MeshGateway:Datacenter"] = "dc1",
            ["MeshGateway:Listeners:0"] = "127.0.0.1:0",
            ["MeshGateway:consul:ADDRESS"] = "https://consul.example:8501",
            ["MeshGateway:Consul:token"] = "s3cr3t",
            ["MeshGateway:Consul:TlsServerName"] = "consul.example",
            ["MeshGateway:Consul:Namespace"] = "team",
            ["MeshGateway:Consul:Register:Enabled"] = "true",
            ["MeshGateway:Consul:register:name"] = "gw",
            ["MeshGateway:Consul:Register:Address"] = "10.0.0.9",
            ["MeshGateway:Consul:Register:WanAddress"] = "198.51.100.7:8443",
        });

        Assert.True(MeshGatewayConfiguration.TryCompose(section, out MeshGatewayComposition? composition, out IReadOnlyList<MeshGatewayOptionsProblem> errors), string.Join("\n", GatewaySections.Rendered(errors)));

        MeshGatewayConsulOptions consul = composition!.Options.Consul!;
        Assert.Equal(("https://consul.example:8501", "s3cr3t", "consul.example", "team"), (consul.Address, consul.Token, consul.TlsServerName, consul.Namespace));
        Assert.Equal((true, "gw", "10.0.0.9", "198.51.100.7:8443"), (consul.Register!.Enabled, consul.Register.Name, consul.Register.Address, consul.Register.WanAddress));
        Assert.Null(composition.Options.TrustDomain);
    }

    [Fact]
    public void Unknown_keys_and_wrong_shapes_in_the_new_keys_are_errors_by_path()
    {
        IConfigurationSection section = GatewaySections.Section(new()
        {
            ["MeshGateway:Mode"] = "upstream-listener",
            ["MeshGateway:Datacenter"] = "dc1",
            ["MeshGateway:TrustDomain"] = Td,
            ["MeshGateway:Entries"] = "one.hcl",
            ["MeshGateway:Service:Name"] = "web",
            ["MeshGateway:Upstreams:0:Name"] = "db",
            ["MeshGateway:Upstreams:0:Listen"] = "127.0.0.1:0",
            ["MeshGateway:Upstreams:0:TargetDatacenter"] = "dc2",
            ["MeshGateway:Upstreams:0:RemoteGateways:0"] = "192.0.2.10:8443",
            ["MeshGateway:Consul:Adress"] = "127.0.0.1:8500",
            ["MeshGateway:Consul:Register:Enabled"] = "yes",
            ["MeshGateway:Consul:Register:Port"] = "8443",
        });

        Assert.False(MeshGatewayConfiguration.TryCompose(section, out _, out IReadOnlyList<MeshGatewayOptionsProblem> errors));

        string[] lines = GatewaySections.Rendered(errors);
        Assert.Contains("MeshGateway:Entries: expected a list, got \"one.hcl\".", lines);
        Assert.Contains("MeshGateway:Service: expected a single value, got an object.", lines);
        Assert.Contains(lines, l => l.StartsWith("MeshGateway:Consul:Adress: unknown property (expected one of address, token, tokenFile,", StringComparison.Ordinal));
        Assert.Contains("MeshGateway:Consul:Register:Port: unknown property (expected one of enabled, name, address, wanAddress).", lines);
        Assert.Contains("MeshGateway:Consul:Register:Enabled: \"yes\" is not true or false.", lines);
        Assert.Contains(lines, l => l.StartsWith("MeshGateway:Consul: only a mesh gateway follows a Consul agent", StringComparison.Ordinal));
        Assert.Equal(6, lines.Length);
    }

    [Fact]
    public void Relative_entries_are_read_from_the_base_directory_given_and_errors_name_them_as_written()
    {
        string folder = Directory.CreateTempSubdirectory("meshgw-host-entries-").FullName;
        File.WriteAllText(Path.Combine(folder, "proxy-defaults.hcl"), "Kind = \"proxy-defaults\"\nName = \"global\"\nMeshGateway {\n  Mode = \"remote\"\n}\n");
        File.WriteAllText(Path.Combine(folder, "broken.hcl"), "Kind = \"proxy-defaults\"\nName = \"global\"\nMeshGateway {\n  Mode = \"Remote\"\n}\n");
        Dictionary<string, string?> values = new()
        {
            ["MeshGateway:Mode"] = "upstream-listener",
            ["MeshGateway:Datacenter"] = "dc1",
            ["MeshGateway:TrustDomain"] = Td,
            ["MeshGateway:Entries:0"] = "proxy-defaults.hcl",
            ["MeshGateway:Upstreams:0:Name"] = "db",
            ["MeshGateway:Upstreams:0:Listen"] = "127.0.0.1:0",
            ["MeshGateway:Upstreams:0:TargetDatacenter"] = "dc2",
            ["MeshGateway:Upstreams:0:RemoteGateways:0"] = "192.0.2.10:8443",
        };

        Assert.True(MeshGatewayConfiguration.TryCompose(GatewaySections.Section(values), folder, out MeshGatewayComposition? composition, out IReadOnlyList<MeshGatewayOptionsProblem> errors), string.Join("\n", GatewaySections.Rendered(errors)));
        values["MeshGateway:Entries:0"] = "broken.hcl";
        Assert.False(MeshGatewayConfiguration.TryCompose(GatewaySections.Section(values), folder, out _, out IReadOnlyList<MeshGatewayOptionsProblem> broken));

        Assert.Equal("upstream db -> dc2: mode remote (from ProxyDefaults), path RemoteGateway via 192.0.2.10:8443", Assert.Single(composition!.Listeners).Description);
        Assert.Equal(["MeshGateway:Entries:0: broken.hcl:4:10: proxy-defaults \"global\": MeshGateway.Mode: Invalid Mesh Gateway Mode: \"Remote\""], GatewaySections.Rendered(broken));
    }
}
