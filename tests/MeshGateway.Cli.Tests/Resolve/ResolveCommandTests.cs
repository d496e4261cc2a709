using System.Text.Json;

namespace MeshGateway.Cli.Tests.Resolve;

public class ResolveCommandTests
{
    private static string Json(string mode, string source, string path) =>
        $"{{\"mode\":\"{mode}\",\"source\":\"{source}\",\"path\":\"{path}\"}}" + Environment.NewLine;

    [Fact]
    public void Nothing_given_prints_default_unset_direct()
    {
        var (code, output, error) = CliRunner.Run("resolve");

        Assert.Equal(0, code);
        Assert.Equal(Json("default", "unset", "direct"), output);
        Assert.Empty(error);
    }

    [Fact]
    public void Output_is_one_json_object_with_exactly_mode_source_and_path()
    {
        var (_, output, _) = CliRunner.Run("resolve", "--proxy-defaults", "local", "--target-datacenter", "dc2");

        using var document = JsonDocument.Parse(output);
        Assert.Equal(["mode", "source", "path"], document.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal("local", document.RootElement.GetProperty("mode").GetString());
        Assert.Equal("proxy-defaults", document.RootElement.GetProperty("source").GetString());
        Assert.Equal("local-gateway", document.RootElement.GetProperty("path").GetString());
    }

    [Theory]
    [InlineData("--upstream", "upstream")]
    [InlineData("--upstream-override", "upstream-override")]
    [InlineData("--proxy", "proxy")]
    [InlineData("--upstream-defaults", "upstream-defaults")]
    [InlineData("--service-defaults", "service-defaults")]
    [InlineData("--proxy-defaults", "proxy-defaults")]
    [InlineData("--target-service-defaults", "target-service-defaults")]
    public void Each_layer_flag_is_named_as_the_source(string flag, string source)
    {
        var (code, output, _) = CliRunner.Run("resolve", flag, "remote", "--target-datacenter", "dc2");

        Assert.Equal(0, code);
        Assert.Equal(Json("remote", source, "remote-gateway"), output);
    }

    [Fact]
    public void Higher_layer_wins_over_lower_layers()
    {
        var (_, output, _) = CliRunner.Run(
            "resolve", "--proxy-defaults", "local", "--service-defaults", "remote", "--proxy", "none", "--target-datacenter", "dc2");

        Assert.Equal(Json("none", "proxy", "direct"), output);
    }

    [Fact]
    public void Datacenters_default_to_dc1_so_a_mode_alone_is_direct()
    {
        Assert.Equal(Json("remote", "proxy", "direct"), CliRunner.Run("resolve", "--proxy", "remote").Output);
        Assert.Equal(Json("remote", "proxy", "direct"), CliRunner.Run("resolve", "--proxy", "remote", "--target-datacenter", "dc1").Output);
        Assert.Equal(Json("remote", "proxy", "direct"), CliRunner.Run("resolve", "--proxy", "remote", "--local-datacenter", "dc7").Output);
        Assert.Equal(Json("remote", "proxy", "remote-gateway"), CliRunner.Run("resolve", "--proxy", "remote", "--local-datacenter", "dc7", "--target-datacenter", "dc1").Output);
    }

    [Fact]
    public void Another_partition_uses_the_gateway()
    {
        var (_, output, _) = CliRunner.Run("resolve", "--upstream", "local", "--target-partition", "part1");

        Assert.Equal(Json("local", "upstream", "local-gateway"), output);
    }

    [Fact]
    public void Target_partition_defaults_to_the_local_partition()
    {
        Assert.Equal(Json("local", "upstream", "direct"), CliRunner.Run("resolve", "--upstream", "local", "--local-partition", "part1").Output);
        Assert.Equal(
            Json("local", "upstream", "local-gateway"),
            CliRunner.Run("resolve", "--upstream", "local", "--local-partition", "part1", "--target-partition", "default").Output);
    }

    [Fact]
    public void Peer_with_none_goes_to_the_remote_gateway_with_a_warning()
    {
        var (code, output, error) = CliRunner.Run("resolve", "--upstream", "none", "--peer", "cluster-02");

        Assert.Equal(0, code);
        Assert.Equal(Json("none", "upstream", "remote-gateway"), output);
        Assert.Equal("warning: invalid mesh gateway mode 'none', defaulting to 'remote'" + Environment.NewLine, error);
    }

    [Theory]
    [InlineData("--external")]
    [InlineData("--prepared-query")]
    public void External_and_prepared_query_targets_are_direct(string flag)
    {
        var (_, output, _) = CliRunner.Run("resolve", "--upstream", "remote", "--target-datacenter", "dc2", flag);

        Assert.Equal(Json("remote", "upstream", "direct"), output);
    }

    [Fact]
    public void Empty_string_is_the_default_mode()
    {
        var (code, output, _) = CliRunner.Run("resolve", "--upstream", "", "--proxy-defaults", "local", "--target-datacenter", "dc2");

        Assert.Equal(0, code);
        Assert.Equal(Json("local", "proxy-defaults", "local-gateway"), output);
    }

    [Theory]
    [InlineData("Local")]
    [InlineData("REMOTE")]
    [InlineData(" local")]
    [InlineData("default")]
    public void Invalid_mode_prints_the_flag_consuls_message_and_the_allowed_modes_and_exits_2(string mode)
    {
        var (code, output, error) = CliRunner.Run("resolve", "--proxy", mode);

        Assert.Equal(2, code);
        Assert.Empty(output);
        Assert.Equal(
            $"meshgw resolve: --proxy: Invalid Mesh Gateway Mode: \"{mode}\"; expected one of \"\" (default: inherit), \"none\", \"local\", \"remote\" (exact and case-sensitive, as Consul parses them)."
                + Environment.NewLine,
            error);
    }

    [Fact]
    public void Proxy_defaults_in_the_wrong_case_names_the_flag_and_the_allowed_values()
    {
        var (code, _, error) = CliRunner.Run("resolve", "--proxy-defaults", "Local");

        Assert.Equal(2, code);
        Assert.StartsWith("meshgw resolve: --proxy-defaults: Invalid Mesh Gateway Mode: \"Local\"", error, StringComparison.Ordinal);
        Assert.Contains("\"none\", \"local\", \"remote\"", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_invalid_mode_is_reported()
    {
        var (code, _, error) = CliRunner.Run("resolve", "--proxy", "x\ty", "--upstream", "y\"z");

        Assert.Equal(2, code);
        string[] lines = error.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("meshgw resolve: --upstream: Invalid Mesh Gateway Mode: \"y\\\"z\";", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("meshgw resolve: --proxy: Invalid Mesh Gateway Mode: \"x\\ty\";", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_option_value_is_a_usage_error()
    {
        Assert.Equal(2, CliRunner.Run("resolve", "--proxy").ExitCode);
    }

    [Fact]
    public void Service_without_entries_is_a_usage_error()
    {
        var (code, _, error) = CliRunner.Run("resolve", "--service", "web");

        Assert.Equal(2, code);
        Assert.Contains("--entries", error, StringComparison.Ordinal);
    }
}
