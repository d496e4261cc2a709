namespace MeshGateway.Cli.Tests.Run;

/// <summary>
/// Issue 14, items 5, 6 and 7 for <c>meshgw run</c>: every bad name under its own JSON path, durations bounded by
/// what a runtime timer holds, listener addresses with a port; all exit 2 without a stack trace.
/// </summary>
public class RunConfigValidationTests
{
    private const string Td = "11111111-2222-3333-4444-555555555555.consul";
    private const string Allowed = "; every label of a name in an SNI must be letters, digits, '_' or '-' ([A-Za-z0-9_-])";

    [Fact]
    public void Datacenter_service_and_remote_datacenter_errors_are_each_reported_under_their_own_path()
    {
        var (code, _, error) = Check($$"""
            { "datacenter": "DC1", "trustDomain": "{{Td}}", "listeners": [ "127.0.0.1:0" ],
              "services": [ { "name": "Web!", "endpoints": [ "127.0.0.1:1" ] } ],
              "remoteGateways": [ { "datacenter": "dc 2", "endpoints": [ "127.0.0.1:2" ] } ] }
            """);

        Assert.Equal(2, code);
        Assert.Equal(
            [
                "3 error(s)",
                "$.datacenter: datacenter cannot be \"DC1\". Please use only [a-z0-9-_]. Consul's agent lower-cases datacenter names, so the datacenter Consul uses is \"dc1\": write that.",
                "$.services[0].name: service \"Web!\" has the character '!' at index 3" + Allowed,
                "$.remoteGateways[0].datacenter: datacenter cannot be \"dc 2\". Please use only [a-z0-9-_].",
            ],
            Lines(error));
    }

    [Fact]
    public void Name_errors_are_listed_alongside_other_errors()
    {
        var (code, _, error) = Check($$"""
            { "datacenter": "dc1", "partition": "p 1", "trustDomain": "not a domain", "listeners": [ "nowhere" ],
              "services": [ { "name": "api", "namespace": "n=s", "endpoints": [ "127.0.0.1:1" ] },
                            { "sni": "we\u000Ab.default.dc1.internal.td", "endpoints": [ "bad endpoint" ] } ],
              "remoteGateways": [ { "datacenter": "dc2", "partition": "p!", "endpoints": [ "127.0.0.1:2" ] } ],
              "timeouts": { "idle": "forever" } }
            """);

        Assert.Equal(2, code);
        string[] lines = Lines(error);
        Assert.Equal("9 error(s)", lines[0]); // the eight below and "$.listeners: a mesh gateway needs at least one listener address."
        Assert.Contains("$.partition: partition \"p 1\" has the character U+0020 at index 1" + Allowed, lines);
        Assert.Contains("$.trustDomain: trust domain \"not a domain\" has the character U+0020 at index 3" + Allowed, lines);
        Assert.Contains(lines, l => l.StartsWith("$.listeners[0]: expected \"IP:PORT\"", StringComparison.Ordinal));
        Assert.Contains("$.services[0].namespace: namespace \"n=s\" has the character '=' at index 1" + Allowed, lines);
        Assert.Contains("$.services[1].sni: server name \"we\\x0Ab.default.dc1.internal.td\" has the character U+000A at index 2" + Allowed, lines);
        Assert.Contains(lines, l => l.StartsWith("$.services[1].endpoints[0]: expected \"HOST:PORT\"", StringComparison.Ordinal));
        Assert.Contains("$.remoteGateways[0].partition: partition \"p!\" has the character '!' at index 1" + Allowed, lines);
        Assert.Contains(lines, l => l.StartsWith("$.timeouts.idle: \"forever\" is not a duration: expected a positive duration", StringComparison.Ordinal));
    }

    [Fact]
    public void Upstream_target_datacenter_is_checked_as_a_datacenter()
    {
        var (code, _, error) = Check($$"""
            { "mode": "upstream-listener", "datacenter": "dc1", "trustDomain": "{{Td}}",
              "upstreams": [ { "name": "db", "listen": "127.0.0.1:0", "targetDatacenter": "dc/2", "mode": "none", "instances": [ "127.0.0.1:1" ] } ] }
            """);

        Assert.Equal(2, code);
        Assert.Contains("$.upstreams[0].targetDatacenter: datacenter cannot be \"dc/2\". Please use only [a-z0-9-_].", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Duplicate_routes_are_reported_under_the_second_entrys_path()
    {
        var (code, _, error) = Check($$"""
            { "datacenter": "dc1", "trustDomain": "{{Td}}", "listeners": [ "127.0.0.1:0" ],
              "services": [ { "name": "api", "endpoints": [ "127.0.0.1:1" ] }, { "name": "API", "namespace": "default", "endpoints": [ "127.0.0.1:2" ] } ],
              "remoteGateways": [ { "datacenter": "dc2", "endpoints": [ "127.0.0.1:3" ] }, { "datacenter": "dc2", "partition": "default", "endpoints": [ "127.0.0.1:4" ] } ] }
            """);

        Assert.Equal(2, code);
        Assert.Equal(
            [
                "2 error(s)",
                "$.services[1].name: the same route as services[0] (names compare case-insensitively).",
                "$.remoteGateways[1].datacenter: the same route as remoteGateways[0] (names compare case-insensitively).",
            ],
            Lines(error));
    }

    [Theory]
    [InlineData("connect", "\"100000h\"")]
    [InlineData("drain", "\"100000h\"")]
    [InlineData("idle", "\"99999999999999999999h\"")]
    [InlineData("sniff", "\"4294967295ms\"")]
    [InlineData("halfClosed", "\"1194h\"")]
    public void Durations_longer_than_a_runtime_timer_holds_are_usage_errors_with_the_path_and_the_bound(string name, string value)
    {
        var (code, output, error) = Check($$"""
            { "datacenter": "dc1", "trustDomain": "{{Td}}", "listeners": [ "127.0.0.1:0" ], "timeouts": { "{{name}}": {{value}} } }
            """);

        Assert.Equal(2, code);
        Assert.DoesNotContain("would listen", output, StringComparison.Ordinal);
        Assert.Equal(
            [
                "1 error(s)",
                $"$.timeouts.{name}: {value} is longer than the longest duration a runtime timer can hold; expected a duration from \"1ms\" to \"4294967294ms\" (about 49.7 days, so at most \"1193h\").",
            ],
            Lines(error));
        Assert.DoesNotContain("Exception", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Metrics_interval_is_bounded_too()
    {
        var (code, _, error) = Check($$"""
            { "datacenter": "dc1", "trustDomain": "{{Td}}", "listeners": [ "127.0.0.1:0" ], "metrics": { "printInterval": "99999999999999999999h" } }
            """);

        Assert.Equal(2, code);
        Assert.Contains("$.metrics.printInterval: \"99999999999999999999h\" is longer than", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"4294967294ms\"")]
    [InlineData("\"1193h\"")]
    [InlineData("\"1ms\"")]
    public void Durations_up_to_the_bound_pass_the_check(string value)
    {
        var (code, output, error) = Check($$"""
            { "datacenter": "dc1", "trustDomain": "{{Td}}", "listeners": [ "127.0.0.1:0" ],
              "timeouts": { "sniff": {{value}}, "connect": {{value}}, "idle": {{value}}, "halfClosed": {{value}}, "drain": {{value}} } }
            """);

        Assert.True(code == 0, error);
        Assert.Contains("would listen on 127.0.0.1:0", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Durations_below_one_millisecond_are_usage_errors()
    {
        var (code, _, error) = Check($$"""
            { "datacenter": "dc1", "trustDomain": "{{Td}}", "listeners": [ "127.0.0.1:0" ], "timeouts": { "connect": "0.0000001ms" } }
            """);

        Assert.Equal(2, code);
        Assert.Contains("$.timeouts.connect: \"0.0000001ms\" is shorter than \"1ms\"", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("::1")]
    [InlineData("127.0.0.1")]
    [InlineData("[::1]")]
    public void Listener_addresses_without_a_port_are_usage_errors(string listen)
    {
        var (code, _, error) = Check($$"""
            { "datacenter": "dc1", "trustDomain": "{{Td}}", "listeners": [ "{{listen}}" ] }
            """);

        Assert.Equal(2, code);
        Assert.StartsWith($"$.listeners[0]: expected \"IP:PORT\", got \"{listen}\": ", Lines(error)[1], StringComparison.Ordinal);
        Assert.Contains("port", Lines(error)[1], StringComparison.Ordinal);
    }

    [Fact]
    public void Upstream_listen_address_without_a_port_is_a_usage_error()
    {
        var (code, _, error) = Check($$"""
            { "mode": "upstream-listener", "datacenter": "dc1", "trustDomain": "{{Td}}",
              "upstreams": [ { "name": "db", "listen": "::1", "targetDatacenter": "dc2", "mode": "none", "instances": [ "127.0.0.1:1" ] } ] }
            """);

        Assert.Equal(2, code);
        Assert.Contains("$.upstreams[0].listen: expected \"IP:PORT\", got \"::1\": the IPv6 address has no port", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Ipv6_listener_in_brackets_is_accepted()
    {
        var (code, output, error) = Check($$"""
            { "datacenter": "dc1", "trustDomain": "{{Td}}", "listeners": [ "[::1]:0" ] }
            """);

        Assert.True(code == 0, error);
        Assert.Contains("would listen on [::1]:0", output, StringComparison.Ordinal);
    }

    private static (int Code, string Output, string Error) Check(string json)
    {
        string path = Path.Combine(Directory.CreateTempSubdirectory("meshgw-run-").FullName, "meshgw.json");
        File.WriteAllText(path, json);
        return CliRunner.Run("run", "--config", path, "--check");
    }

    /// <summary>The error lines without the file name in the first one.</summary>
    private static string[] Lines(string error) =>
        [.. error.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries)
            .Select((line, i) => i == 0 ? line[(line.LastIndexOf(": ", StringComparison.Ordinal) + 2)..] : line.Trim())];
}
