using MeshGateway.Modes.ConfigEntries;

namespace MeshGateway.Modes.Tests.ConfigEntries;

/// <summary>Files as Consul writes them: one config entry, one registration, or the combined form; several merged.</summary>
public class SingleEntryFileTests
{
    private const string Web = """{ "service": { "name": "web", "connect": { "sidecar_service": { "proxy": { "upstreams": [ { "destination_name": "api", "datacenter": "dc2" } ] } } } } }""";

    private static ConsulConfigSource Json(string name, string text) => new(name, System.Text.Encoding.UTF8.GetBytes(text), ConsulConfigFormat.Json);

    private static ConsulConfigSource Hcl(string name, string text) => new(name, System.Text.Encoding.UTF8.GetBytes(text), ConsulConfigFormat.Hcl);

    [Fact]
    public void A_config_entry_with_a_top_level_kind_is_read_not_ignored()
    {
        // Before: a bare entry was silently ignored, and resolve answered "Default / Unset / Direct".
        var result = ConsulConfigReader.Read("""{"Kind": "proxy-defaults", "Name": "global", "MeshGateway": {"Mode": "local"}}""");

        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        Assert.Equal(MeshGatewayMode.Local, Assert.Single(result.Catalog!.ProxyDefaults).Mode);
    }

    [Fact]
    public void A_bare_entry_merged_with_a_registration_decides_the_mode()
    {
        var result = ConsulConfigReader.Read([
            Json("pd.json", """{"Kind": "proxy-defaults", "Name": "global", "MeshGateway": {"Mode": "local"}}"""),
            Json("web.json", Web)]);

        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        Assert.True(result.Catalog!.TryGetUpstreamInput("web", "api", out var input, out _));
        Assert.Equal(new MeshGatewayResolution(MeshGatewayMode.Local, MeshGatewayModeSource.ProxyDefaults, DialPath.LocalGateway, NoneOverriddenForPeer: false), input.Resolve());
    }

    [Fact]
    public void A_registration_body_with_a_connect_proxy_kind_is_one_registration()
    {
        var result = ConsulConfigReader.Read("""
            { "Kind": "connect-proxy", "Name": "web-sidecar-proxy",
              "Proxy": { "DestinationServiceName": "web", "MeshGateway": { "Mode": "remote" },
                         "Upstreams": [ { "DestinationName": "api", "Datacenter": "dc2" } ] } }
            """);

        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        var registration = Assert.Single(result.Catalog!.Services);
        Assert.Equal(("web", "web-sidecar-proxy", MeshGatewayMode.Remote), (registration.Service, registration.ProxyName, registration.ProxyMode));
    }

    [Fact]
    public void An_unknown_config_entry_kind_is_an_error()
    {
        var error = Assert.Single(ConsulConfigReader.Read("""{"Kind": "proxy-default", "Name": "global"}""").Errors);

        Assert.Equal("config entry", error.Entry);
        Assert.Equal("Kind", error.Field);
        Assert.StartsWith("invalid config entry kind \"proxy-default\"", error.Message);
    }

    [Fact]
    public void An_unknown_kind_inside_config_entries_is_an_error_too()
    {
        var error = Assert.Single(ConsulConfigReader.Read("""{"ConfigEntries": [ {"Kind": "servicedefaults", "Name": "web"} ]}""").Errors);

        Assert.Equal("ConfigEntries[0]: Kind: invalid config entry kind \"servicedefaults\"; expected \"proxy-defaults\", \"service-defaults\" or another Consul kind (service-resolver, mesh, …) (line 1, column 30)", error.ToString());
    }

    [Fact]
    public void Known_kinds_without_modes_are_still_accepted()
    {
        var result = ConsulConfigReader.Read("""{"Kind": "service-resolver", "Name": "db", "Redirect": {"Datacenter": "dc3"}}""");

        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
    }

    [Fact]
    public void An_unknown_service_kind_is_an_error()
    {
        var error = Assert.Single(ConsulConfigReader.Read("""{"service": {"name": "web-proxy", "kind": "connect_proxy"}}""").Errors);

        Assert.Equal("service \"web-proxy\"", error.Entry);
        Assert.StartsWith("invalid service kind \"connect_proxy\"", error.Message);
    }

    [Theory]
    [InlineData("""{ "data_dir": "/opt/consul" }""")]
    [InlineData("""{ "Entries": [] }""")]
    [InlineData("node_name = \"a\"")]
    public void A_document_of_no_known_shape_is_an_error(string document)
    {
        var error = Assert.Single(ConsulConfigReader.Read(document).Errors);

        Assert.StartsWith("unrecognised document", error.Message);
    }

    [Fact]
    public void A_proxy_is_found_by_its_own_registration_name()
    {
        var catalog = ConsulConfigReader.Read(Web).Catalog!;

        Assert.True(catalog.TryGetUpstreamInput("web-sidecar-proxy", "api", out var byProxy, out string? error), error);
        Assert.True(catalog.TryGetUpstreamInput("web", "api", out var byService, out _));
        Assert.Equal(byService, byProxy);
    }

    [Fact]
    public void Looking_up_by_proxy_name_reads_the_destination_services_defaults()
    {
        var result = ConsulConfigReader.Read([
            Json("sd.json", """{"Kind": "service-defaults", "Name": "web", "MeshGateway": {"Mode": "remote"}}"""),
            Json("web.json", Web)]);

        Assert.True(result.Catalog!.TryGetUpstreamInput("web-sidecar-proxy", "api", out var input, out _));
        Assert.Equal(MeshGatewayModeSource.ServiceDefaults, input.Resolve().Source);
    }

    [Fact]
    public void Errors_of_every_file_are_reported_with_their_file_names()
    {
        var result = ConsulConfigReader.Read([
            Json("a.json", """{"Kind": "proxy-defaults", "MeshGateway": {"Mode": "Local"}}"""),
            Json("b.json", Web),
            Hcl("c.hcl", "Kind = \"service-defaults\"\nName \"web\"\n")]);

        Assert.Equal(
            [
                "a.json:1:52: proxy-defaults \"global\": MeshGateway.Mode: Invalid Mesh Gateway Mode: \"Local\"",
                "c.hcl:2:6: document: expected '=' or '{' after key 'Name', found a string",
            ],
            result.Errors.Select(e => e.ToString()));
    }

    [Fact]
    public void The_same_entry_in_two_files_is_a_duplicate()
    {
        const string Pd = """{"Kind": "proxy-defaults", "Name": "global", "MeshGateway": {"Mode": "local"}}""";

        var error = Assert.Single(ConsulConfigReader.Read([Json("a.json", Pd), Json("b.json", Pd)]).Errors);

        Assert.Equal("b.json", error.FileName);
        Assert.StartsWith("duplicate proxy-defaults entry", error.Message);
    }

    [Fact]
    public void Files_naming_different_datacenters_conflict()
    {
        var error = Assert.Single(ConsulConfigReader.Read([
            Json("a.json", """{"Datacenter": "dc1"}"""), Json("b.json", """{"Datacenter": "dc2"}""")]).Errors);

        Assert.Equal("b.json:1:16: document: Datacenter: datacenter \"dc2\" differs from \"dc1\" set earlier in a.json", error.ToString());
    }

    [Fact]
    public void A_missing_file_is_an_error_under_its_name_and_the_others_are_still_read()
    {
        string missing = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N") + ".hcl");
        string bad = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N") + ".json");
        File.WriteAllText(bad, """{"Kind": "proxy-defaults", "MeshGateway": {"Mode": "sideways"}}""");
        try
        {
            var result = ConsulConfigReader.ReadFiles([missing, bad]);

            Assert.Equal([missing, bad], result.Errors.Select(e => e.FileName));
            Assert.StartsWith("cannot read the file: ", result.Errors[0].Message);
        }
        finally
        {
            File.Delete(bad);
        }
    }

    [Theory]
    [InlineData("x.json", ConsulConfigFormat.Json)]
    [InlineData("dir/X.HCL", ConsulConfigFormat.Hcl)]
    [InlineData("entries.conf", ConsulConfigFormat.Detect)]
    [InlineData("entries", ConsulConfigFormat.Detect)]
    public void The_extension_picks_the_format(string name, ConsulConfigFormat expected) =>
        Assert.Equal(expected, ConsulConfigSource.FormatOf(name));

    [Theory]
    [InlineData("null", "document: expected a JSON object, found null")]
    [InlineData("nullable = 1", "document: unrecognised document")]
    [InlineData("true_name = 1", "document: unrecognised document")]
    public void Detection_tells_json_literals_from_hcl_keys(string document, string expectedStart) =>
        Assert.StartsWith(expectedStart, Assert.Single(ConsulConfigReader.Read(document).Errors).ToString());

    [Fact]
    public void Detection_reads_hcl_and_json_alike()
    {
        var hcl = ConsulConfigReader.Read("# entry\nKind = \"proxy-defaults\"\nName = \"global\"\nMeshGateway { Mode = \"remote\" }\n");
        var json = ConsulConfigReader.Read("// entry\n{\"Kind\": \"proxy-defaults\", \"Name\": \"global\", \"MeshGateway\": {\"Mode\": \"remote\"}}");

        Assert.Equal(MeshGatewayMode.Remote, Assert.Single(hcl.Catalog!.ProxyDefaults).Mode);
        Assert.Equal(MeshGatewayMode.Remote, Assert.Single(json.Catalog!.ProxyDefaults).Mode);
    }
}
