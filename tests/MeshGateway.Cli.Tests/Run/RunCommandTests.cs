namespace MeshGateway.Cli.Tests.Run;

/// <summary>The contract of <c>meshgw run</c>'s configuration handling (running itself is in the functional tests).</summary>
public class RunCommandTests
{
    [Fact]
    public void Broken_config_lists_every_error_with_its_json_path_and_exits_2()
    {
        string file = Write("""
            {
              "mode": "gateway",
              "datacenter": "",
              "listeners": [ "127.0.0.1:8443", "nowhere" ],
              "services": [ { "name": "web", "endpoints": [ "bad endpoint" ] } ],
              "timeouts": { "sniff": "10 parsecs" },
              "limits": { "maxConnections": 0 },
              "proxyProtocol": "v3",
              "typo": true
            }
            """);

        var (code, _, error) = CliRunner.Run("run", "--config", file);

        Assert.Equal(2, code);
        string[] expected =
        [
            "$.typo: unknown property",
            "$.mode: \"gateway\" is not one of mesh-gateway, upstream-listener.",
            "$.datacenter: expected a non-empty string",
            "$.trustDomain: required.",
            "$.listeners[1]: expected \"IP:PORT\"",
            "$.services[0].endpoints[0]: expected \"HOST:PORT\"",
            "$.timeouts.sniff: \"10 parsecs\" is not a duration: expected a positive duration",
            "$.limits.maxConnections: expected an integer from 1 to 2147483647, got 0.",
            "$.proxyProtocol: \"v3\" is not one of none, v1, v2.",
        ];
        foreach (string line in expected)
        {
            Assert.Contains(line, error, StringComparison.Ordinal);
        }

        Assert.Contains("9 error(s)", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_service_names_are_reported_from_the_route_table_with_exit_2()
    {
        string file = Write("""
            { "datacenter": "dc1", "trustDomain": "11111111-2222-3333-4444-555555555555.consul", "listeners": [ "127.0.0.1:0" ],
              "services": [ { "name": "we b", "endpoints": [ "127.0.0.1:1" ] } ] }
            """);

        var (code, _, error) = CliRunner.Run("run", "--config", file);

        Assert.Equal(2, code);
        Assert.Contains("$.services", error, StringComparison.Ordinal);
        Assert.Contains("we b", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Not_json_is_reported_at_the_root_with_exit_2()
    {
        var (code, _, error) = CliRunner.Run("run", "--config", Write("{ \"datacenter\": "));

        Assert.Equal(2, code);
        Assert.Contains("$: not valid JSON", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Embedded_default_is_a_dc1_mesh_gateway_on_8443_with_a_sample_route_table()
    {
        var (code, output, error) = CliRunner.Run("run", "--check");

        Assert.Equal(0, code);
        Assert.Equal("", error);
        Assert.Contains("configuration: embedded default (MeshGateway, datacenter dc1)", output, StringComparison.Ordinal);
        Assert.Contains("would listen on 127.0.0.1:8443: mesh gateway dc1", output, StringComparison.Ordinal);
        Assert.Contains("  serves web.default.dc1.internal.11111111-2222-3333-4444-555555555555.consul -> 127.0.0.1:9001, 127.0.0.1:9002", output, StringComparison.Ordinal);
        Assert.Contains("  serves *.dc2.internal.11111111-2222-3333-4444-555555555555.consul -> dc2 gateways 127.0.0.1:9443", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Printed_default_config_is_itself_a_valid_config()
    {
        var (code, printed, _) = CliRunner.Run("run", "--print-default-config");
        Assert.Equal(0, code);

        var (checkCode, output, _) = CliRunner.Run("run", "--check", "--config", Write(printed));

        Assert.Equal(0, checkCode);
        Assert.Contains("would listen on 127.0.0.1:8443", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Upstream_listener_config_reports_the_resolved_mode_and_path_per_upstream()
    {
        string file = Write("""
            {
              "mode": "upstream-listener", "datacenter": "dc1", "trustDomain": "11111111-2222-3333-4444-555555555555.consul",
              "defaultMode": "local",
              "upstreams": [
                { "name": "db", "listen": "127.0.0.1:0", "targetDatacenter": "dc2",
                  "instances": [ "127.0.0.1:7001" ], "localGateways": [ "127.0.0.1:8443" ], "remoteGateways": [ "127.0.0.1:9443" ] },
                { "name": "cache", "listen": "127.0.0.1:0", "targetDatacenter": "dc2", "mode": "remote", "remoteGateways": [ "127.0.0.1:9443" ] }
              ]
            }
            """);

        var (code, output, error) = CliRunner.Run("run", "--check", "--config", file);

        Assert.Equal(0, code);
        Assert.Equal("", error);
        Assert.Contains("upstream db -> dc2: mode local (from ProxyDefaults), path LocalGateway via 127.0.0.1:8443", output, StringComparison.Ordinal);
        Assert.Contains("upstream cache -> dc2: mode remote (from Upstream), path RemoteGateway via 127.0.0.1:9443", output, StringComparison.Ordinal);
    }

    private static string Write(string json)
    {
        string path = Path.Combine(Directory.CreateTempSubdirectory("meshgw-run-").FullName, "meshgw.json");
        File.WriteAllText(path, json);
        return path;
    }
}
