using System.CommandLine;
using MeshGateway.Naming;

namespace MeshGateway.Cli.Commands.Sni;

/// <summary>
/// <c>meshgw sni parse NAME [--trust-domain T]</c>: prints one JSON object with the keys <c>kind</c>, <c>service</c>,
/// <c>subset</c>, <c>namespace</c>, <c>partition</c>, <c>datacenter</c>, <c>peer</c>, <c>query</c>, <c>trustDomain</c>
/// (null where not applicable) and exits 0; prints <c>{"error":"..."}</c> and exits 1 when NAME is not a Consul SNI.
/// </summary>
internal static class SniParseCommand
{
    /// <summary>Exit code when the name is not a Consul SNI.</summary>
    public const int NotAConsulSni = 1;

    /// <summary>Builds the sub-verb.</summary>
    public static Command Create()
    {
        var name = new Argument<string>("NAME") { Description = "The SNI to parse." };
        var trustDomain = new Option<string>("--trust-domain")
        {
            Description = "The expected trust domain. Without it, the internal/internal-v1/query/external label is located from the right.",
        };
        var command = new Command("parse", "Parse a Consul SNI into its parts and print them as JSON.") { name, trustDomain };
        command.SetAction(result =>
        {
            TextWriter output = result.InvocationConfiguration.Output;
            string text = result.GetValue(name)!;
            string? expected = result.GetValue(trustDomain);
            if (ConsulSniName.TryParse(text, expected, out ConsulSniName parsed, out ConsulSniStatus status))
            {
                output.WriteLine(SniJson.Format(parsed));
                return 0;
            }

            output.WriteLine(SniJson.Error($"not a Consul SNI: {ConsulSniParser.Describe(status)}"));
            return NotAConsulSni;
        });
        return command;
    }
}
