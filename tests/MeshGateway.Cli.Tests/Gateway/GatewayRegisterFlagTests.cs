namespace MeshGateway.Cli.Tests.Gateway;

/// <summary>Issue 17: <c>meshgw gateway --register</c>'s usage errors name their flag and exit 2 before anything is bound or registered.</summary>
public class GatewayRegisterFlagTests
{
    [Fact]
    public void Register_needs_consul()
    {
        var (code, output, error) = CliRunner.Run("gateway", "--listen", "127.0.0.1:0", "--datacenter", "dc1", "--trust-domain", "td.consul", "--register");

        Assert.Equal(MeshGatewayCli.UsageError, code);
        Assert.Empty(output);
        Assert.Equal("--register: needs --consul (the agent the gateway registers with)." + Environment.NewLine, error);
    }

    [Theory]
    [InlineData("0.0.0.0:8443", "0.0.0.0")]
    [InlineData("[::]:8443", "::")]
    public void A_wildcard_listen_address_needs_an_explicit_register_address(string listen, string shown)
    {
        var (code, _, error) = CliRunner.Run("gateway", "--listen", listen, "--datacenter", "dc1", "--consul", "127.0.0.1:1", "--register");

        Assert.Equal(MeshGatewayCli.UsageError, code);
        Assert.Equal(
            $"--register-address: required when --listen binds every address ({shown}); give the address other gateways dial." + Environment.NewLine,
            error);
    }

    [Theory]
    [InlineData("--register-wan-address", "gw.example:http", "--register-wan-address 'gw.example:http': expected HOST or HOST:PORT.")]
    [InlineData("--register-wan-address", "gw.example:70000", "--register: the WAN port 70000 is not between 1 and 65535.")]
    [InlineData("--register-address", "not a host", "--register: the address 'not a host' is not an IP address or a DNS name.")]
    [InlineData("--register-name", "mesh gateway", "--register: the service name 'mesh gateway' may hold only letters, digits, '-', '_', '.' and ':'.")]
    public void Invalid_registration_values_are_usage_errors_naming_the_flag(string flag, string value, string expected)
    {
        var (code, _, error) = CliRunner.Run(
            "gateway", "--listen", "127.0.0.1:0", "--datacenter", "dc1", "--consul", "127.0.0.1:1", "--register", flag, value);

        Assert.Equal(MeshGatewayCli.UsageError, code);
        Assert.Equal(expected + Environment.NewLine, error);
    }

    [Theory]
    [InlineData("--register-name", "gw")]
    [InlineData("--register-address", "10.0.0.5")]
    [InlineData("--register-wan-address", "198.51.100.7")]
    public void Registration_flags_without_register_are_usage_errors(string flag, string value)
    {
        var (code, _, error) = CliRunner.Run("gateway", "--listen", "127.0.0.1:0", "--datacenter", "dc1", "--consul", "127.0.0.1:1", flag, value);

        Assert.Equal(MeshGatewayCli.UsageError, code);
        Assert.Equal($"{flag}: only meaningful with --register." + Environment.NewLine, error);
    }
}
