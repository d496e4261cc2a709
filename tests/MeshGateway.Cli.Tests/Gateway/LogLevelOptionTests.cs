using MeshGateway.Cli.Logging;
using Microsoft.Extensions.Logging;

namespace MeshGateway.Cli.Tests.Gateway;

/// <summary>The <c>--log-level</c> flag of <c>meshgw gateway</c> and <c>meshgw run</c> (issue 14 item 1).</summary>
public class LogLevelOptionTests
{
    [Theory]
    [InlineData("gateway", "--listen", "127.0.0.1:0", "--datacenter", "dc1", "--trust-domain", "td.consul")]
    [InlineData("run", "--check")]
    public void Unknown_log_level_is_a_usage_error_naming_the_flag_and_the_allowed_values(params string[] args)
    {
        var (code, _, error) = CliRunner.Run([.. args, "--log-level", "verbose"]);

        Assert.Equal(MeshGatewayCli.UsageError, code);
        Assert.Contains("--log-level 'verbose': expected one of trace, debug, information, warning, error, none.", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("trace", LogLevel.Trace)]
    [InlineData("debug", LogLevel.Debug)]
    [InlineData("information", LogLevel.Information)]
    [InlineData("Warning", LogLevel.Warning)]
    [InlineData("error", LogLevel.Error)]
    [InlineData("none", LogLevel.None)]
    public void Every_documented_level_parses(string text, LogLevel expected)
    {
        Assert.True(CliLogging.TryParse(text, out LogLevel level));
        Assert.Equal(expected, level);
    }

    [Fact]
    public void Run_check_accepts_a_valid_level_and_help_lists_the_flag()
    {
        Assert.Equal(0, CliRunner.Run("run", "--check", "--log-level", "debug").ExitCode);
        var (_, help, _) = CliRunner.Run("gateway", "--help");
        Assert.Contains("--log-level", help, StringComparison.Ordinal);
        Assert.Contains("trace|debug|information|warning|error|none", help, StringComparison.Ordinal);
    }

    [Fact]
    public void Logger_factory_at_information_filters_debug()
    {
        using ILoggerFactory factory = CliLogging.Create(LogLevel.Information);
        ILogger logger = factory.CreateLogger("test");
        Assert.True(logger.IsEnabled(LogLevel.Information));
        Assert.False(logger.IsEnabled(LogLevel.Debug));
    }
}
