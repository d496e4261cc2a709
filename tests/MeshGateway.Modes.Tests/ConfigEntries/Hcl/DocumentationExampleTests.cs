using MeshGateway.Modes.ConfigEntries;

namespace MeshGateway.Modes.Tests.ConfigEntries.Hcl;

/// <summary>
/// Every construct of the configuration examples on Consul's mesh-gateway documentation page, in HCL and JSON,
/// as written and without indentation, with the answer <c>meshgw resolve</c> gives (TestData/README.md).
/// </summary>
public class DocumentationExampleTests
{
    public static TheoryData<string, string?, string, string, string> Examples() => new()
    {
        { "proxy-defaults", "web-sidecar", "web", "api", "Local / ProxyDefaults / LocalGateway" },
        { "service-defaults", "web-sidecar", "web", "api", "Remote / ServiceDefaults / RemoteGateway" },
        { "connect-proxy", null, "web", "api", "Remote / Proxy / RemoteGateway" },
        { "connect-proxy", null, "web-sidecar-proxy", "api", "Remote / Proxy / RemoteGateway" },
        { "sidecar-service", null, "web", "api", "Remote / Upstream / RemoteGateway" },
        { "sidecar-service", null, "web-sidecar-proxy", "cache", "Local / Proxy / LocalGateway" },
        { "web-sidecar", null, "web", "api", "Default / Unset / Direct" },
        { "agent-config", null, "web", "billing", "None / UpstreamOverride / Direct" },
        { "agent-config", null, "web", "api", "Local / ProxyDefaults / LocalGateway" },
    };

    [Theory]
    [MemberData(nameof(Examples))]
    public void Hcl_example_resolves_as_consul_would(string example, string? with, string service, string upstream, string expected)
    {
        ConsulModeCatalog catalog = HclFixtures.ReadValid(Sources(example, with, ".hcl", indented: true));

        Assert.Equal(expected, HclFixtures.Resolve(catalog, service, upstream));
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void Hcl_example_without_indentation_resolves_the_same(string example, string? with, string service, string upstream, string expected)
    {
        ConsulModeCatalog catalog = HclFixtures.ReadValid(Sources(example, with, ".hcl", indented: false));

        Assert.Equal(expected, HclFixtures.Resolve(catalog, service, upstream));
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void Json_twin_of_each_example_resolves_the_same(string example, string? with, string service, string upstream, string expected)
    {
        ConsulModeCatalog catalog = HclFixtures.ReadValid(Sources(example, with, ".json", indented: true));

        Assert.Equal(expected, HclFixtures.Resolve(catalog, service, upstream));
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void Files_read_from_disk_by_extension_resolve_the_same(string example, string? with, string service, string upstream, string expected)
    {
        string[] paths = with is null
            ? [HclFixtures.PathOf(example + ".hcl")]
            : [HclFixtures.PathOf(example + ".hcl"), HclFixtures.PathOf(with + ".json")];

        ConsulConfigReadResult result = ConsulConfigReader.ReadFiles(paths);

        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        Assert.Equal(expected, HclFixtures.Resolve(result.Catalog!, service, upstream));
    }

    [Theory]
    [InlineData("proxy-defaults")]
    [InlineData("service-defaults")]
    [InlineData("connect-proxy")]
    [InlineData("sidecar-service")]
    [InlineData("web-sidecar")]
    [InlineData("agent-config")]
    public void Hcl_and_json_twins_read_to_equal_catalogs(string example)
    {
        ConsulModeCatalog hcl = HclFixtures.ReadValid(new ConsulConfigSource(example + ".hcl", HclFixtures.Bytes(example + ".hcl")));
        ConsulModeCatalog json = HclFixtures.ReadValid(new ConsulConfigSource(example + ".json", HclFixtures.Bytes(example + ".json")));

        Assert.Equal(json.Datacenter, hcl.Datacenter);
        Assert.Equal(json.ProxyDefaults, hcl.ProxyDefaults);
        Assert.Equal(Describe(json), Describe(hcl));
    }

    [Fact]
    public void Sidecar_registration_is_named_after_its_service_unless_the_block_names_it()
    {
        ConsulModeCatalog catalog = HclFixtures.ReadValid(new ConsulConfigSource("named.hcl", """
            service {
              name = "web"
              connect { sidecar_service { name = "web-proxy" proxy { upstreams = [{ destination_name = "api" }] } } }
            }
            """u8.ToArray()));

        Assert.Equal("web-proxy", Assert.Single(catalog.Services).ProxyName);
        Assert.Same(catalog.Services[0], catalog.FindRegistration("web-proxy"));
        Assert.Null(catalog.FindRegistration("web-sidecar-proxy"));
    }

    [Theory]
    [InlineData("api", "Local / UpstreamDefaults / LocalGateway")]
    [InlineData("dashboard", "Remote / UpstreamOverride / RemoteGateway")]
    public void Upstream_config_written_with_equals_objects_and_a_single_upstream_block_resolve(string upstream, string expected)
    {
        // service-defaults as `UpstreamConfig = { Defaults = { … } Overrides = [ { … } ] }`, and a registration whose
        // only upstream is an `upstreams { … }` block (one block under a list key is a list of one).
        ConsulModeCatalog catalog = HclFixtures.ReadValid(
            new ConsulConfigSource("counting-defaults.hcl", """
                Kind = "service-defaults"
                Name = "counting"
                UpstreamConfig = {
                  Defaults = {
                    MeshGateway = { Mode = "local" }
                    Limits = { MaxConnections = 512 }
                  }
                  Overrides = [
                    { Name = "dashboard", MeshGateway = { Mode = "remote" } },
                  ]
                }
                """u8.ToArray()),
            new ConsulConfigSource("counting.hcl", """
                service {
                  name = "counting"
                  connect { sidecar_service { proxy {
                    upstreams { destination_name = "api" datacenter = "dc2" local_bind_port = 8080 }
                    upstreams { destination_name = "dashboard" datacenter = "dc2" local_bind_port = 8081 }
                  } } }
                }
                """u8.ToArray()));

        Assert.Equal(expected, HclFixtures.Resolve(catalog, "counting", upstream));
    }

    [Fact]
    public void A_single_upstreams_block_is_a_list_of_one()
    {
        ConsulModeCatalog catalog = HclFixtures.ReadValid(new ConsulConfigSource("one.hcl", """
            service { name = "web" connect { sidecar_service { proxy { upstreams { destination_name = "api" datacenter = "dc2" mesh_gateway { mode = "local" } } } } } }
            """u8.ToArray()));

        Assert.Equal("Local / Upstream / LocalGateway", HclFixtures.Resolve(catalog, "web", "api"));
    }

    private static ConsulConfigSource[] Sources(string example, string? with, string extension, bool indented)
    {
        ConsulConfigSource Source(string name)
        {
            byte[] bytes = HclFixtures.Bytes(name + extension);
            return new ConsulConfigSource(name + extension, indented ? bytes : HclFixtures.Unindented(bytes));
        }

        return with is null ? [Source(example)] : [Source(example), Source(with)];
    }

    private static string Describe(ConsulModeCatalog catalog) => string.Join(
        "\n",
        catalog.ServiceDefaults.Select(s => $"{s.Name} {s.Mode} {s.UpstreamDefaults} [{string.Join(", ", s.UpstreamOverrides)}]")
            .Concat(catalog.Services.Select(s => $"{s.Service} {s.ProxyName} {s.ProxyMode} [{string.Join(", ", s.Upstreams)}]")));
}
