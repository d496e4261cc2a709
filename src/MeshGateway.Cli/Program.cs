namespace MeshGateway.Cli;

/// <summary>Entry point of the <c>meshgw</c> tool.</summary>
internal static class Program
{
    private static int Main(string[] args) => MeshGatewayCli.Run(args, Console.Out, Console.Error);
}
