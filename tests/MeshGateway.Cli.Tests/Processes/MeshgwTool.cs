using System.Diagnostics;
using System.Globalization;

namespace MeshGateway.Cli.Tests.Processes;

/// <summary>
/// The real <c>meshgw</c> as a process: a copy of the tool's own output, dependencies included (meshgw-tool/, see the
/// project file), run with <c>dotnet</c>, every output redirected.
/// </summary>
internal static class MeshgwTool
{
    /// <summary>The tool's entry assembly, to run with <c>dotnet</c>.</summary>
    public static string Dll { get; } = Path.Combine(AppContext.BaseDirectory, "meshgw-tool", "meshgw.dll");

    /// <summary>Starts <c>dotnet meshgw.dll</c> with <paramref name="args"/>, standard output and error redirected.</summary>
    public static Process Start(params string[] args) => Process.Start(StartInfo(args))!;

    /// <summary>How <see cref="Start"/> runs the tool, for a caller that adjusts the environment first.</summary>
    public static ProcessStartInfo StartInfo(IEnumerable<string> args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Dll);
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        return start;
    }

    /// <summary>
    /// As <see cref="Start"/>, under a descriptor limit: <c>ulimit -n</c> sets the soft and the hard limit, so the tool
    /// cannot raise it back.
    /// </summary>
    public static Process StartWithDescriptorLimit(int limit, params string[] args)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add($"ulimit -n {limit.ToString(CultureInfo.InvariantCulture)} && exec dotnet \"$@\"");
        start.ArgumentList.Add("bash");
        start.ArgumentList.Add(Dll);
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        return Process.Start(start)!;
    }

    /// <summary>Sends SIGTERM (what a service manager sends to stop it) and waits for <c>kill</c> to deliver it.</summary>
    public static void Terminate(Process tool)
    {
        using var kill = Process.Start("kill", ["-TERM", tool.Id.ToString(CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    /// <summary>Kills the tool if it still runs: a failed test leaves no process behind.</summary>
    public static void KillIfRunning(Process tool)
    {
        if (!tool.HasExited)
        {
            tool.Kill();
        }
    }
}
