using System.Diagnostics;
using System.Globalization;

namespace MeshGateway.Cli.Tests.Processes;

/// <summary>
/// The real <c>meshgw</c> as a process (a copy of the tool's own build output, see the project file), with the
/// <c>CONSUL_*</c> environment removed so only the flags a test gives reach an agent.
/// </summary>
internal sealed class MeshgwProcess : IDisposable
{
    private MeshgwProcess(Process process)
    {
        Process = process;
    }

    public Process Process { get; }

    /// <summary>Runs <c>meshgw</c> to its end and returns its exit code and both outputs.</summary>
    public static Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] args) => RunAsync(null, args);

    /// <summary>Runs <c>meshgw</c> with extra environment variables to its end.</summary>
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        using MeshgwProcess tool = Start(environment, args);
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        Task<string> output = tool.Process.StandardOutput.ReadToEndAsync(patience.Token);
        Task<string> error = tool.Process.StandardError.ReadToEndAsync(patience.Token);
        await tool.Process.WaitForExitAsync(patience.Token);
        return (tool.Process.ExitCode, await output, await error);
    }

    /// <summary>Starts <c>meshgw</c>; the caller reads its outputs and stops it.</summary>
    public static MeshgwProcess Start(params string[] args) => Start(null, args);

    /// <summary>Starts <c>meshgw</c> with extra environment variables.</summary>
    public static MeshgwProcess Start(IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        ProcessStartInfo start = MeshgwTool.StartInfo(args);
        foreach (string name in start.Environment.Keys.Where(k => k.StartsWith("CONSUL_", StringComparison.Ordinal)).ToArray())
        {
            start.Environment.Remove(name);
        }

        foreach ((string name, string value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        return new MeshgwProcess(Process.Start(start)!);
    }

    /// <summary>Sends SIGTERM, as a service manager stops the gateway.</summary>
    public async Task TerminateAsync()
    {
        using Process kill = Process.Start("kill", ["-TERM", Process.Id.ToString(CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
    }

    public void Dispose()
    {
        if (!Process.HasExited)
        {
            Process.Kill(entireProcessTree: true);
            Process.WaitForExit();
        }

        Process.Dispose();
    }
}
