namespace MeshGateway.Cli.Tests.Gateway;

/// <summary>Issue 17: <c>meshgw gateway --consul</c>'s usage errors name their flag and exit 2 before anything is bound.</summary>
public class GatewayConsulFlagTests
{
    [Theory]
    [InlineData("ftp://127.0.0.1:8500", "is not http(s)://host:port or host:port")]
    [InlineData("http://127.0.0.1:8500/v1", "without a path")]
    [InlineData("unix:///run/consul.sock", "unix socket")]
    public void A_bad_consul_url_is_a_usage_error_naming_the_flag(string url, string problem)
    {
        var (code, output, error) = CliRunner.Run("gateway", "--listen", "127.0.0.1:0", "--datacenter", "dc1", "--consul", url);

        Assert.Equal(MeshGatewayCli.UsageError, code);
        Assert.Empty(output);
        Assert.StartsWith($"--consul '{url}': ", error, StringComparison.Ordinal);
        Assert.Contains(problem, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_consul_the_trust_domain_is_required_and_the_error_says_so()
    {
        var (code, _, error) = CliRunner.Run("gateway", "--listen", "127.0.0.1:0", "--datacenter", "dc1");

        Assert.Equal(MeshGatewayCli.UsageError, code);
        Assert.StartsWith("--trust-domain: required unless --consul is given", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_consul_token_without_consul_is_a_usage_error()
    {
        var (code, _, error) = CliRunner.Run("gateway", "--listen", "127.0.0.1:0", "--datacenter", "dc1", "--trust-domain", "td.consul", "--consul-token", "t");

        Assert.Equal(MeshGatewayCli.UsageError, code);
        Assert.StartsWith("--consul-token: ", error, StringComparison.Ordinal);
    }
}
