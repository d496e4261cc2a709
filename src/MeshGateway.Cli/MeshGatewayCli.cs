using System.CommandLine;

namespace MeshGateway.Cli;

/// <summary>The <c>meshgw</c> command tree. Each verb lives in its own file under <c>Commands/</c>.</summary>
internal static class MeshGatewayCli
{
    /// <summary>Exit code for a usage error (bad arguments), as every verb documents.</summary>
    public const int UsageError = 2;

    /// <summary>Builds the root command with every verb registered.</summary>
    public static RootCommand CreateRootCommand()
    {
        var root = new RootCommand(
            "meshgw: build an L4 service-mesh gateway. Sniff TLS ClientHellos, build and parse Consul SNIs, "
            + "resolve mesh gateway modes, and forward TLS by SNI without decrypting it.");
        // Verbs register here, one line each (see Commands/).
        root.Subcommands.Add(Commands.Sniff.SniffCommand.Create());
        root.Subcommands.Add(Commands.Sni.SniCommand.Create());
        root.Subcommands.Add(Commands.Resolve.ResolveCommand.Create());
        root.Subcommands.Add(Commands.Gateway.GatewayCommand.Create());
        root.Subcommands.Add(Commands.Demo.DemoCommand.Create());
        root.Subcommands.Add(Commands.Run.RunCommand.Create());
        return root;
    }

    /// <summary>Parses <paramref name="args"/> and runs the chosen verb, writing to the given writers.</summary>
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        var root = CreateRootCommand();
        var configuration = new InvocationConfiguration { Output = output, Error = error };
        var result = root.Parse(args);
        int code = result.Invoke(configuration);
        // System.CommandLine reports parse errors with exit code 1; our contract says usage errors are 2.
        return result.Errors.Count > 0 ? UsageError : code;
    }
}
