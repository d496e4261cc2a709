using System.CommandLine;

namespace MeshGateway.Cli.Commands.Demo;

/// <summary>
/// <c>meshgw demo</c>: the whole mission on loopback in a few seconds. A TLS service in dc2, a dc2 and a dc1 mesh
/// gateway, and a client in dc1 reaching the service in each mode (none, local, remote). Exits 0 when all three
/// paths worked end to end with the service's certificate seen unchanged by the client, 1 otherwise.
/// </summary>
internal static class DemoCommand
{
    /// <summary>Builds the verb.</summary>
    public static Command Create()
    {
        var command = new Command(
            "demo",
            "Show a mesh gateway at work on 127.0.0.1: a TLS service in dc2, gateways in dc1 and dc2, and a client in dc1 in modes none, local and remote.");
        command.SetAction(async (result, cancellationToken) =>
            await DemoRunner.RunAsync(result.InvocationConfiguration.Output, cancellationToken).ConfigureAwait(false));
        return command;
    }
}
