namespace MeshGateway.Cli.Tests.Run;

/// <summary><c>meshgw run</c>'s file on the library's model: Consul's mode words, the one duration syntax, the route timeout.</summary>
public class RunConfigModelTests
{
    private const string Td = "11111111-2222-3333-4444-555555555555.consul";

    private static string Sidecar(string modeProperty) => $$"""
        { "mode": "upstream-listener", "datacenter": "dc1", "trustDomain": "{{Td}}", "defaultMode": "remote",
          "upstreams": [ { "name": "db", "listen": "127.0.0.1:0", "targetDatacenter": "dc2" {{modeProperty}},
            "localGateways": [ "127.0.0.1:8443" ], "remoteGateways": [ "127.0.0.1:9443" ] } ] }
        """;

    [Theory]
    [InlineData("")]
    [InlineData(", \"mode\": \"\"")]
    public void Empty_or_absent_mode_is_the_default_mode_so_the_next_layer_decides(string modeProperty)
    {
        var (code, output, error) = CliRunner.Run("run", "--check", "--config", Write(Sidecar(modeProperty)));

        Assert.Equal(0, code);
        Assert.Equal("", error);
        Assert.Contains("upstream db -> dc2: mode remote (from ProxyDefaults), path RemoteGateway via 127.0.0.1:9443", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Mode_word_default_is_still_the_default_mode_but_warns_that_consul_rejects_it()
    {
        var (code, output, error) = CliRunner.Run("run", "--check", "--config", Write(Sidecar(", \"mode\": \"default\"")));

        Assert.Equal(0, code);
        Assert.Contains("warning: $.upstreams[0].mode: \"default\" is not a Consul mode word", error, StringComparison.Ordinal);
        Assert.Contains("path RemoteGateway", output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_warning_names_the_key_as_the_file_spells_it()
    {
        var (code, _, error) = CliRunner.Run("run", "--check", "--config", Write(Sidecar(", \"MODE\": \"default\"")));

        Assert.Equal(0, code);
        Assert.Contains("warning: $.upstreams[0].MODE: \"default\" is not a Consul mode word", error, StringComparison.Ordinal);
    }

    [Fact]
    public void An_upstream_whose_resolved_path_has_no_endpoints_is_reported_at_its_json_path()
    {
        string file = Write($$"""
            { "mode": "upstream-listener", "datacenter": "dc1", "trustDomain": "{{Td}}",
              "upstreams": [ { "name": "db", "listen": "127.0.0.1:0", "targetDatacenter": "dc2", "mode": "local", "instances": [ "127.0.0.1:1" ] } ] }
            """);

        var (code, _, error) = CliRunner.Run("run", "--check", "--config", file);

        Assert.Equal(2, code);
        Assert.Contains("$.upstreams[0]: mode local (from Upstream) dials LocalGateway, but no endpoints are listed for it.", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Timeouts_take_timespan_text_too_and_the_route_timeout_is_settable()
    {
        string good = Write($$"""
            { "datacenter": "dc1", "trustDomain": "{{Td}}", "listeners": [ "127.0.0.1:0" ],
              "timeouts": { "sniff": "00:00:10", "route": "2s", "drain": "00:01:00" } }
            """);
        string bad = Write($$"""
            { "datacenter": "dc1", "trustDomain": "{{Td}}", "listeners": [ "127.0.0.1:0" ], "timeouts": { "route": "soon" } }
            """);

        var (goodCode, _, goodError) = CliRunner.Run("run", "--check", "--config", good);
        var (badCode, _, badError) = CliRunner.Run("run", "--check", "--config", bad);

        Assert.Equal((0, ""), (goodCode, goodError));
        Assert.Equal(2, badCode);
        Assert.Contains("$.timeouts.route: \"soon\" is not a duration: expected a positive duration such as", badError, StringComparison.Ordinal);
    }

    private static string Write(string json)
    {
        string path = Path.Combine(Directory.CreateTempSubdirectory("meshgw-run-").FullName, "meshgw.json");
        File.WriteAllText(path, json);
        return path;
    }
}
