using System.Diagnostics;

namespace MeshGateway.Cli.Tests.Processes;

public class ToolProcessTests
{
    [Fact]
    public async Task Built_tool_runs_as_a_process_and_prints_its_version()
    {
        using Process process = MeshgwTool.Start("--version");
        string output = await process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);

        Assert.Equal(0, process.ExitCode);
        Assert.Matches(@"^\d+\.\d+\.\d+", output.Trim());
    }
}
