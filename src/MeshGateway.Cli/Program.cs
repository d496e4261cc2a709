using MeshGateway.Forwarding;

namespace MeshGateway.Cli;

/// <summary>Entry point of the <c>meshgw</c> tool.</summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        // The tool owns its process, so it takes every descriptor it may (a gateway holds 2-6 per connection); the
        // library never does this for an embedding host. Best effort: the forwarder sizes its cap from what is in force.
        _ = ProcessDescriptors.TryRaiseSoftLimitToHard(out _);
        return MeshGatewayCli.Run(args, Console.Out, Console.Error);
    }
}
