namespace MeshGateway.Cli.Tests;

/// <summary>Runs the real <c>meshgw</c> command tree in process and captures what it writes.</summary>
internal static class CliRunner
{
    public static (int ExitCode, string Output, string Error) Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        int code = MeshGatewayCli.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }
}
