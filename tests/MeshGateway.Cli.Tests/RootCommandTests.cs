using System.Reflection;

namespace MeshGateway.Cli.Tests;

public class RootCommandTests
{
    [Fact]
    public void Version_prints_the_assembly_informational_version()
    {
        var (code, output, _) = CliRunner.Run("--version");

        string expected = typeof(MeshGatewayCli).Assembly
            .GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion;
        Assert.Equal(0, code);
        Assert.Equal(expected, output.Trim());
        Assert.StartsWith("0.", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Help_describes_the_tool_and_exits_zero()
    {
        var (code, output, _) = CliRunner.Run("--help");

        Assert.Equal(0, code);
        Assert.Contains("meshgw", output, StringComparison.Ordinal);
        Assert.Contains("Consul SNI", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_option_is_a_usage_error_with_exit_code_2()
    {
        var (code, _, error) = CliRunner.Run("--no-such-option");

        Assert.Equal(MeshGatewayCli.UsageError, code);
        Assert.Contains("--no-such-option", error, StringComparison.Ordinal);
    }
}
