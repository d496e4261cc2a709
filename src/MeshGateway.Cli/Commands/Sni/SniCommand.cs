using System.CommandLine;

namespace MeshGateway.Cli.Commands.Sni;

/// <summary>
/// <c>meshgw sni</c>: build Consul SNIs (<c>service</c>, <c>gateway</c>, <c>query</c>, <c>peered</c>) and parse them
/// back (<c>parse</c>), with the rules of docs/naming.md.
/// </summary>
internal static class SniCommand
{
    /// <summary>Builds the verb and its sub-verbs.</summary>
    public static Command Create()
    {
        var command = new Command("sni", "Build Consul SNIs (service, gateway, query, peered) and parse them back into their parts.");
        command.Subcommands.Add(SniBuildCommands.Service());
        command.Subcommands.Add(SniBuildCommands.Gateway());
        command.Subcommands.Add(SniBuildCommands.Query());
        command.Subcommands.Add(SniBuildCommands.Peered());
        command.Subcommands.Add(SniParseCommand.Create());
        return command;
    }
}
