using MeshGateway.Testing;
using Xunit.Sdk;

namespace MeshGateway.FunctionalTests.Tools;

/// <summary>
/// The rule every real-peer test stands on (tests/MeshGateway.Testing/Tools/ExternalTool.cs): a tool missing from
/// <c>PATH</c> skips the test on a developer's machine and fails it under CI, so a green CI run never hides a skip.
/// </summary>
public class ExternalToolTests
{
    // Nothing on any PATH has this name: the "missing tool" of these tests.
    private const string Missing = "meshgw-test-no-such-tool-5f0c2a";

    // A skip cannot be caught and checked inside a test (xunit reports the test itself as skipped), so the skip branch
    // is checked through the message Require skips with.
    [Fact]
    public void Missing_tool_outside_ci_gets_a_skip_reason_naming_the_tool_and_where_it_comes_from()
    {
        string reason = ExternalTool.MissingMessage(Missing, underCi: false);

        Assert.Equal($"{Missing} is not on PATH (.ci/run installs it from Debian's packages)", reason);
    }

    [Fact]
    public void Missing_tool_fails_the_test_under_ci_and_says_no_skip_is_allowed()
    {
        FailException failure = Assert.Throws<FailException>(() => ExternalTool.Require(Missing, underCi: true));

        Assert.Contains($"{Missing} is not on PATH", failure.Message, StringComparison.Ordinal);
        Assert.Contains("under CI no test may be skipped", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Tool_on_path_is_returned_as_an_existing_executable_path_whatever_ci_says(bool underCi)
    {
        // sh is on PATH wherever these tests run (the process tests start bash; .ci/run runs on Debian).
        string path = ExternalTool.Require("sh", underCi);

        Assert.True(Path.IsPathFullyQualified(path), path);
        Assert.Equal("sh", Path.GetFileName(path));
        Assert.True(File.Exists(path), path);
    }
}
