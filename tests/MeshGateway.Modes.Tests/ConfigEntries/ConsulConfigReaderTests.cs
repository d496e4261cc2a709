using MeshGateway.Modes.ConfigEntries;

namespace MeshGateway.Modes.Tests.ConfigEntries;

public class ConsulConfigReaderTests
{
    // The HTTP API form: PUT /v1/config bodies and a PUT /v1/agent/service/register body.
    private const string HttpApiForm = """
        {
          "Datacenter": "dc1",
          "ConfigEntries": [
            { "Kind": "proxy-defaults", "Name": "global", "MeshGateway": { "Mode": "local" } },
            { "Kind": "service-defaults", "Name": "web", "Protocol": "http",
              "UpstreamConfig": {
                "Defaults": { "MeshGateway": { "Mode": "remote" }, "ConnectTimeoutMs": 500 },
                "Overrides": [ { "Name": "billing", "MeshGateway": { "Mode": "none" } } ] } },
            { "Kind": "service-defaults", "Name": "payments", "ExternalSNI": "payments.example.com" },
            { "Kind": "service-resolver", "Name": "db", "Redirect": { "Datacenter": "dc3" } }
          ],
          "Services": [
            { "Name": "web", "Port": 8080,
              "Connect": { "SidecarService": { "Proxy": {
                "MeshGateway": { "Mode": "" },
                "Upstreams": [
                  { "DestinationName": "db", "Datacenter": "dc2", "LocalBindPort": 9191 },
                  { "DestinationName": "billing", "Datacenter": "dc2", "LocalBindPort": 9192 },
                  { "DestinationName": "cache", "Datacenter": "dc2", "LocalBindPort": 9193, "MeshGateway": { "Mode": "local" } },
                  { "DestinationName": "payments", "Datacenter": "dc2", "LocalBindPort": 9194 },
                  { "DestinationName": "orders", "DestinationPeer": "cluster-02", "LocalBindPort": 9195 },
                  { "DestinationName": "lookup", "DestinationType": "prepared_query", "Datacenter": "dc2", "LocalBindPort": 9196 }
                ] } } } }
          ]
        }
        """;

    // The same, as agent configuration (snake_case; config_entries.bootstrap and a service block).
    private const string AgentConfigForm = """
        {
          "datacenter": "dc1",
          "config_entries": { "bootstrap": [
            { "kind": "proxy-defaults", "name": "global", "mesh_gateway": { "mode": "local" } },
            { "kind": "service-defaults", "name": "web",
              "upstream_config": {
                "defaults": { "mesh_gateway": { "mode": "remote" } },
                "overrides": [ { "name": "billing", "mesh_gateway": { "mode": "none" } } ] } },
            { "kind": "service-defaults", "name": "payments", "external_sni": "payments.example.com" }
          ] },
          "service": {
            "name": "web", "port": 8080,
            "connect": { "sidecar_service": { "proxy": {
              "upstreams": [
                { "destination_name": "db", "datacenter": "dc2", "local_bind_port": 9191 },
                { "destination_name": "billing", "datacenter": "dc2", "local_bind_port": 9192 },
                { "destination_name": "cache", "datacenter": "dc2", "local_bind_port": 9193, "mesh_gateway": { "mode": "local" } },
                { "destination_name": "payments", "datacenter": "dc2", "local_bind_port": 9194 },
                { "destination_name": "orders", "destination_peer": "cluster-02", "local_bind_port": 9195 },
                { "destination_name": "lookup", "destination_type": "prepared_query", "datacenter": "dc2", "local_bind_port": 9196 }
              ] } } }
          }
        }
        """;

    private static ConsulModeCatalog ReadValid(string json)
    {
        var result = ConsulConfigReader.Read(json);
        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        return result.Catalog!;
    }

    private static MeshGatewayResolution Resolve(ConsulModeCatalog catalog, string service, string upstream)
    {
        Assert.True(catalog.TryGetUpstreamInput(service, upstream, out var input, out string? error), error);
        return input.Resolve();
    }

    [Theory]
    [InlineData("db", MeshGatewayMode.Remote, MeshGatewayModeSource.UpstreamDefaults, DialPath.RemoteGateway, false)]
    [InlineData("billing", MeshGatewayMode.None, MeshGatewayModeSource.UpstreamOverride, DialPath.Direct, false)]
    [InlineData("cache", MeshGatewayMode.Local, MeshGatewayModeSource.Upstream, DialPath.LocalGateway, false)]
    [InlineData("payments", MeshGatewayMode.Remote, MeshGatewayModeSource.UpstreamDefaults, DialPath.Direct, false)]
    [InlineData("orders", MeshGatewayMode.Remote, MeshGatewayModeSource.UpstreamDefaults, DialPath.RemoteGateway, false)]
    [InlineData("lookup", MeshGatewayMode.Default, MeshGatewayModeSource.Unset, DialPath.Direct, false)]
    public void Both_json_forms_resolve_every_upstream_the_same_way(
        string upstream, MeshGatewayMode mode, MeshGatewayModeSource source, DialPath path, bool overridden)
    {
        var expected = new MeshGatewayResolution(mode, source, path, overridden);

        Assert.Equal(expected, Resolve(ReadValid(HttpApiForm), "web", upstream));
        Assert.Equal(expected, Resolve(ReadValid(AgentConfigForm), "web", upstream));
    }

    [Fact]
    public void Both_json_forms_give_the_same_entries()
    {
        var http = ReadValid(HttpApiForm);
        var agent = ReadValid(AgentConfigForm);

        Assert.Equal(http.ProxyDefaults, agent.ProxyDefaults);
        Assert.Equal(http.ServiceDefaults.Select(e => (e.Name, e.Mode, e.ExternalSni, e.UpstreamDefaults)), agent.ServiceDefaults.Select(e => (e.Name, e.Mode, e.ExternalSni, e.UpstreamDefaults)));
        Assert.Equal(http.ServiceDefaults.SelectMany(e => e.UpstreamOverrides), agent.ServiceDefaults.SelectMany(e => e.UpstreamOverrides));
        Assert.Equal(http.Services.Single().Upstreams, agent.Services.Single().Upstreams);
        Assert.Equal("dc1", agent.Datacenter);
    }

    [Fact]
    public void Camel_case_block_wins_when_both_spellings_are_given()
    {
        const string Json = """
            { "ConfigEntries": [ { "Kind": "proxy-defaults", "Name": "global",
                "MeshGateway": { "Mode": "remote" }, "mesh_gateway": { "mode": "local" } } ] }
            """;

        Assert.Equal(MeshGatewayMode.Remote, ReadValid(Json).FindProxyDefaults(null)!.Mode);
    }

    [Fact]
    public void Connect_proxy_registration_is_keyed_by_its_destination_service()
    {
        const string Json = """
            { "Services": [ { "Kind": "connect-proxy", "Name": "web-sidecar-proxy", "Port": 21000,
                "Proxy": { "DestinationServiceName": "web", "MeshGateway": { "Mode": "remote" },
                           "Upstreams": [ { "DestinationName": "db", "Datacenter": "dc2" } ] } } ] }
            """;

        var result = Resolve(ReadValid(Json), "web", "db");

        Assert.Equal(new MeshGatewayResolution(MeshGatewayMode.Remote, MeshGatewayModeSource.Proxy, DialPath.RemoteGateway, false), result);
    }

    [Fact]
    public void Opaque_proxy_defaults_config_counts_only_when_the_typed_field_is_empty()
    {
        const string Opaque = """
            { "ConfigEntries": [ { "Kind": "proxy-defaults", "Name": "global", "Config": { "mesh_gateway": { "mode": "local" } } } ] }
            """;
        const string Both = """
            { "ConfigEntries": [ { "Kind": "proxy-defaults", "Name": "global", "MeshGateway": { "Mode": "remote" },
                                   "Config": { "mesh_gateway": { "mode": "local" } } } ] }
            """;

        Assert.Equal(MeshGatewayMode.Local, ReadValid(Opaque).FindProxyDefaults("default")!.Mode);
        Assert.Equal(MeshGatewayMode.Remote, ReadValid(Both).FindProxyDefaults("default")!.Mode);
    }

    [Fact]
    public void Every_invalid_entry_is_reported_with_its_entry_and_field()
    {
        const string Json = """
            {
              "ConfigEntries": [
                { "Kind": "proxy-defaults", "Name": "foo", "MeshGateway": { "Mode": "Local" } },
                { "Kind": "service-defaults", "Name": "web",
                  "MeshGateway": { "Mode": 3 },
                  "UpstreamConfig": {
                    "Defaults": { "Name": "db", "Namespace": "ns1", "Partition": "p1", "MeshGateway": { "Mode": "default" } },
                    "Overrides": [ { "MeshGateway": { "Mode": "none" } }, { "Name": "*" }, { "Name": "db", "MeshGateway": { "Mode": "REMOTE" } } ] } },
                { "Name": "nokind" },
                { "Kind": "service-defaults" }
              ],
              "config_entries": { "bootstrap": [ { "kind": "service-defaults", "name": "api", "mesh_gateway": { "mode": " local" } } ] },
              "Services": [
                { "Name": "web", "Connect": { "SidecarService": { "Proxy": {
                    "MeshGateway": { "Mode": "Remote" },
                    "Upstreams": [ { "DestinationName": "db", "MeshGateway": { "Mode": "locale" } }, { "Datacenter": "dc2" } ] } } } }
              ],
              "service": { "name": "api", "connect": { "sidecar_service": { "proxy": {
                  "upstreams": [ { "destination_name": "db", "destination_type": "query", "mesh_gateway": { "mode": "tab\there" } } ] } } } }
            }
            """;

        var result = ConsulConfigReader.Read(Json);

        Assert.False(result.Succeeded);
        Assert.Null(result.Catalog);
        Assert.Equal(
            [
                "proxy-defaults \"foo\": Name: invalid name (\"foo\"), only \"global\" is supported",
                "proxy-defaults \"foo\": MeshGateway.Mode: Invalid Mesh Gateway Mode: \"Local\"",
                "service-defaults \"web\": MeshGateway.Mode: expected a string (\"\", \"none\", \"local\" or \"remote\"), found a number 3",
                "service-defaults \"web\": UpstreamConfig.Defaults.Name: Name must be empty",
                "service-defaults \"web\": UpstreamConfig.Defaults.Namespace: Namespace must be empty",
                "service-defaults \"web\": UpstreamConfig.Defaults.Partition: Partition must be empty",
                "service-defaults \"web\": UpstreamConfig.Defaults.MeshGateway.Mode: Invalid Mesh Gateway Mode: \"default\"",
                "service-defaults \"web\": UpstreamConfig.Overrides[0].Name: Name is required",
                "service-defaults \"web\": UpstreamConfig.Overrides[1].Name: Wildcard name is not supported",
                "service-defaults \"web\": UpstreamConfig.Overrides[2].MeshGateway.Mode: Invalid Mesh Gateway Mode: \"REMOTE\"",
                "ConfigEntries[2]: Kind: missing; expected \"proxy-defaults\", \"service-defaults\" or another config entry kind",
                "ConfigEntries[3]: Name: missing; a service-defaults entry names its service",
                "service-defaults \"api\": mesh_gateway.mode: Invalid Mesh Gateway Mode: \" local\"",
                "service \"web\": Connect.SidecarService.Proxy.MeshGateway.Mode: Invalid Mesh Gateway Mode: \"Remote\"",
                "service \"web\": Connect.SidecarService.Proxy.Upstreams[0].MeshGateway.Mode: Invalid Mesh Gateway Mode: \"locale\"",
                "service \"web\": Connect.SidecarService.Proxy.Upstreams[1].DestinationName: missing; an upstream names its destination",
                "service \"api\": connect.sidecar_service.proxy.upstreams[0].destination_type: unknown destination type \"query\"; expected \"service\" or \"prepared_query\"",
                "service \"api\": connect.sidecar_service.proxy.upstreams[0].mesh_gateway.mode: Invalid Mesh Gateway Mode: \"tab\\there\"",
            ],
            result.Errors.Select(e => (e with { Line = 0, Column = 0 }).ToString()));
        Assert.All(result.Errors, e => Assert.True(e.Line > 0 && e.Column > 0, e.ToString()));
    }

    [Fact]
    public void Malformed_json_is_one_error_with_its_position()
    {
        var result = ConsulConfigReader.Read("{ \"ConfigEntries\": [ { \"Kind\": \"proxy-defaults\", } ");

        var error = Assert.Single(result.Errors);
        Assert.Equal("document", error.Entry);
        Assert.StartsWith("invalid JSON (line 1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_value_of_the_wrong_shape_is_reported_with_its_json_path()
    {
        var result = ConsulConfigReader.Read("""{ "Services": { "Name": "web" } }""");

        var error = Assert.Single(result.Errors);
        Assert.Equal("$.Services", error.Field);
    }

    [Fact]
    public void Duplicate_entries_are_errors()
    {
        const string Json = """
            { "ConfigEntries": [
                { "Kind": "proxy-defaults", "Name": "global" }, { "Kind": "proxy-defaults", "Name": "global", "Partition": "default" },
                { "Kind": "service-defaults", "Name": "web" }, { "Kind": "service-defaults", "Name": "web", "Namespace": "default" } ] }
            """;

        var result = ConsulConfigReader.Read(Json);

        Assert.Equal(2, result.Errors.Count);
        Assert.Contains("duplicate proxy-defaults", result.Errors[0].Message, StringComparison.Ordinal);
        Assert.Contains("duplicate service-defaults", result.Errors[1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_service_or_upstream_is_reported()
    {
        var catalog = ReadValid(HttpApiForm);

        Assert.False(catalog.TryGetUpstreamInput("api", "db", out _, out string? noService));
        Assert.Equal("no proxy registration for service \"api\"", noService);
        Assert.False(catalog.TryGetUpstreamInput("web", "nope", out _, out string? noUpstream));
        Assert.Equal("service \"web\" declares no upstream \"nope\"", noUpstream);
    }

    [Fact]
    public void Upstream_in_the_local_datacenter_is_direct_whatever_the_mode()
    {
        const string Json = """
            { "ConfigEntries": [ { "Kind": "proxy-defaults", "Name": "global", "MeshGateway": { "Mode": "remote" } } ],
              "Services": [ { "Name": "web", "Connect": { "SidecarService": { "Proxy": { "Upstreams": [ { "DestinationName": "db" } ] } } } } ] }
            """;

        Assert.Equal(
            new MeshGatewayResolution(MeshGatewayMode.Remote, MeshGatewayModeSource.ProxyDefaults, DialPath.Direct, false),
            Resolve(ReadValid(Json), "web", "db"));
    }

    [Fact]
    public void Upstream_in_another_partition_uses_the_gateway_and_inherits_the_downstream_partition_when_unset()
    {
        const string Json = """
            { "Partition": "part1",
              "ConfigEntries": [ { "Kind": "proxy-defaults", "Name": "global", "Partition": "part1", "MeshGateway": { "Mode": "local" } } ],
              "Services": [ { "Name": "web", "Connect": { "SidecarService": { "Proxy": { "Upstreams": [
                  { "DestinationName": "db" }, { "DestinationName": "api", "DestinationPartition": "default" } ] } } } } ] }
            """;
        var catalog = ReadValid(Json);

        Assert.Equal(DialPath.Direct, Resolve(catalog, "web", "db").Path);
        Assert.Equal(DialPath.LocalGateway, Resolve(catalog, "web", "api").Path);
    }

    [Fact]
    public void Prepared_query_upstream_reports_only_its_own_mode()
    {
        const string Json = """
            { "ConfigEntries": [ { "Kind": "proxy-defaults", "Name": "global", "MeshGateway": { "Mode": "local" } } ],
              "Services": [ { "Name": "web", "Connect": { "SidecarService": { "Proxy": { "Upstreams": [
                  { "DestinationType": "prepared_query", "DestinationName": "q", "Datacenter": "dc2", "MeshGateway": { "Mode": "remote" } } ] } } } } ] }
            """;

        Assert.Equal(
            new MeshGatewayResolution(MeshGatewayMode.Remote, MeshGatewayModeSource.Upstream, DialPath.Direct, false),
            Resolve(ReadValid(Json), "web", "q"));
    }

    [Fact]
    public void Transparent_proxy_resolves_undeclared_upstreams_from_central_config()
    {
        const string Json = """
            { "ConfigEntries": [
                { "Kind": "proxy-defaults", "Name": "global", "MeshGateway": { "Mode": "local" } },
                { "Kind": "service-defaults", "Name": "web", "UpstreamConfig": { "Overrides": [ { "Name": "db", "MeshGateway": { "Mode": "remote" } } ] } } ],
              "service": { "name": "web", "connect": { "sidecar_service": { "proxy": { "mode": "transparent" } } } } }
            """;
        var catalog = ReadValid(Json);

        Assert.Equal(
            new MeshGatewayResolution(MeshGatewayMode.Remote, MeshGatewayModeSource.UpstreamOverride, DialPath.Direct, false),
            Resolve(catalog, "web", "db"));
        Assert.Equal(MeshGatewayModeSource.ProxyDefaults, Resolve(catalog, "web", "anything").Source);
    }

    [Fact]
    public void Direct_mode_proxy_does_not_resolve_undeclared_upstreams()
    {
        const string Json = """
            { "Services": [ { "Name": "web", "Connect": { "SidecarService": { "Proxy": { "Mode": "direct" } } } } ] }
            """;

        Assert.False(ReadValid(Json).TryGetUpstreamInput("web", "db", out _, out string? error));
        Assert.Equal("service \"web\" declares no upstream \"db\"", error);
    }

    [Fact]
    public void Unknown_proxy_mode_is_an_error()
    {
        var result = ConsulConfigReader.Read("""{ "service": { "name": "web", "connect": { "sidecar_service": { "proxy": { "mode": "Transparent" } } } } }""");

        Assert.Equal(
            "service \"web\": connect.sidecar_service.proxy.mode: invalid proxy mode \"Transparent\"; expected \"\", \"direct\" or \"transparent\" (line 1, column 84)",
            Assert.Single(result.Errors).ToString());
    }

    [Fact]
    public void Peered_upstream_with_none_is_sent_to_the_remote_gateway_and_reported()
    {
        const string Json = """
            { "Services": [ { "Name": "web", "Connect": { "SidecarService": { "Proxy": { "Upstreams": [
                  { "DestinationName": "db", "DestinationPeer": "cluster-02", "MeshGateway": { "Mode": "none" } } ] } } } } ] }
            """;

        Assert.Equal(
            new MeshGatewayResolution(MeshGatewayMode.None, MeshGatewayModeSource.Upstream, DialPath.RemoteGateway, true),
            Resolve(ReadValid(Json), "web", "db"));
    }
}
