using System.Diagnostics;

namespace MeshGateway.FunctionalTests;

public class ToolProcessTests
{
    [Fact]
    public async Task Built_tool_runs_as_a_process_and_prints_its_version()
    {
        string tool = MeshGateway.FunctionalTests.Infrastructure.MeshgwTool.Dll;
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(tool);
        start.ArgumentList.Add("--version");

        using var process = Process.Start(start)!;
        string output = await process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);

        Assert.Equal(0, process.ExitCode);
        Assert.Matches(@"^\d+\.\d+\.\d+", output.Trim());
    }
}
