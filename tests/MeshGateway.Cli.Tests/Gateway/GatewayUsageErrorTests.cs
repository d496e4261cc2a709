namespace MeshGateway.Cli.Tests.Gateway;

/// <summary>Issue 14, items 6 and 7: every usage error of <c>meshgw gateway</c> names its flag and what is allowed.</summary>
public class GatewayUsageErrorTests
{
    private const string Td = "11111111-2222-3333-4444-555555555555.consul";

    [Theory]
    [InlineData("::1", "IPv6 address has no port", "[::1]:8443")]
    [InlineData("[::1]", "IPv6 address has no port", "[::1]:8443")]
    [InlineData("127.0.0.1", "no port", "127.0.0.1:8443")]
    [InlineData("127.0.0.1:", "the port \"\" is not a number from 0 to 65535", "127.0.0.1:8443")]
    [InlineData("127.0.0.1:65536", "not a number from 0 to 65535", "127.0.0.1:8443")]
    [InlineData("127.0.0.1:+80", "not a number from 0 to 65535", "127.0.0.1:8443")]
    [InlineData("::1:8443", "IPv6 address has no port", "[::1]:8443")]
    [InlineData("1:8443", "\"1\" is not an IPv4 address", "127.0.0.1:8443")]
    public void Listen_without_a_valid_port_is_a_usage_error_naming_the_flag(string listen, string problem, string example)
    {
        // The bad service name keeps the command from serving even where the listen address was once accepted (it
        // bound a random port), so this fails rather than hangs on such code.
        var (code, output, error) = CliRunner.Run("gateway", "--listen", listen, "--datacenter", "dc1", "--trust-domain", Td, "--service", "a.b");

        Assert.Equal(MeshGatewayCli.UsageError, code);
        Assert.Empty(output); // never "listening on ...": nothing was bound
        Assert.StartsWith($"--listen '{listen}': ", error, StringComparison.Ordinal);
        Assert.Contains(problem, error, StringComparison.Ordinal);
        Assert.Contains(example, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[::1]:0")]
    [InlineData("127.0.0.1:0")]
    [InlineData("localhost:0")]
    public void Listen_with_a_port_is_accepted(string listen)
    {
        // A bad datacenter makes the command stop before binding; the listen address itself must not be reported.
        var (code, _, error) = CliRunner.Run("gateway", "--listen", listen, "--datacenter", "dc 1", "--trust-domain", Td);

        Assert.Equal(MeshGatewayCli.UsageError, code);
        Assert.DoesNotContain("--listen", error, StringComparison.Ordinal);
        Assert.Contains("--datacenter: datacenter cannot be \"dc 1\"", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_bad_name_is_listed_under_its_own_flag_with_the_allowed_characters()
    {
        var (code, output, error) = CliRunner.Run(
            "gateway", "--listen", "127.0.0.1:0", "--datacenter", "DC1", "--partition", "Fo o", "--trust-domain", "not a domain",
            "--service", "Web!=127.0.0.1:1", "--service", "api=127.0.0.1:2", "--service-sni", "we b.default.dc1.internal.td=127.0.0.1:3",
            "--remote-gateway", "dc 2=127.0.0.1:4", "--remote-gateway", "dc3/p!=127.0.0.1:5");

        Assert.Equal(MeshGatewayCli.UsageError, code);
        Assert.Empty(output);
        const string Allowed = "; every label of a name in an SNI must be letters, digits, '_' or '-' ([A-Za-z0-9_-])";
        Assert.Equal(
            [
                "--datacenter: datacenter cannot be \"DC1\". Please use only [a-z0-9-_]. Consul's agent lower-cases datacenter names, so the datacenter Consul uses is \"dc1\": write that.",
                "--partition: partition \"Fo o\" has the character U+0020 at index 2" + Allowed,
                "--trust-domain: trust domain \"not a domain\" has the character U+0020 at index 3" + Allowed,
                "--service: service \"Web!\" has the character '!' at index 3" + Allowed,
                "--service-sni: server name \"we b.default.dc1.internal.td\" has the character U+0020 at index 2" + Allowed,
                "--remote-gateway: datacenter cannot be \"dc 2\". Please use only [a-z0-9-_].",
                "--remote-gateway: partition \"p!\" has the character '!' at index 1" + Allowed,
            ],
            error.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void A_bad_gateway_datacenter_does_not_hide_service_name_errors()
    {
        var (code, _, error) = CliRunner.Run(
            "gateway", "--listen", "127.0.0.1:0", "--datacenter", "dc 1", "--trust-domain", Td, "--service", "a.b=127.0.0.1:1");

        Assert.Equal(MeshGatewayCli.UsageError, code);
        Assert.Contains("--datacenter: datacenter cannot be \"dc 1\"", error, StringComparison.Ordinal);
        Assert.Contains("--service: service \"a.b\" must not contain a dot", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_route_given_twice_is_reported_under_its_flag()
    {
        var (code, _, error) = CliRunner.Run(
            "gateway", "--listen", "127.0.0.1:0", "--datacenter", "dc1", "--trust-domain", Td,
            "--service", "api=127.0.0.1:1", "--service", "API=127.0.0.1:2", "--remote-gateway", "dc2=127.0.0.1:3", "--remote-gateway", "dc2/default=127.0.0.1:4");

        Assert.Equal(MeshGatewayCli.UsageError, code);
        Assert.Equal(
            [
                "--service 'API=127.0.0.1:2': the same route is given twice (names compare case-insensitively).",
                "--remote-gateway 'dc2/default=127.0.0.1:4': the same route is given twice (names compare case-insensitively).",
            ],
            error.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void A_service_without_endpoints_is_a_usage_error_naming_the_flag_as_in_a_run_file()
    {
        // The composer that checks meshgw run's "services" checks the flags too: a service needs an endpoint.
        var (code, output, error) = CliRunner.Run("gateway", "--listen", "127.0.0.1:0", "--datacenter", "dc1", "--trust-domain", Td, "--service", "web");

        Assert.Equal(MeshGatewayCli.UsageError, code);
        Assert.Empty(output);
        Assert.Equal("--service: needs at least one endpoint (\"HOST:PORT\")." + Environment.NewLine, error);
    }
}
