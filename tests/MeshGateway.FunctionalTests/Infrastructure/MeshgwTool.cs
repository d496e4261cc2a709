namespace MeshGateway.FunctionalTests.Infrastructure;

/// <summary>Where the process tests find the real <c>meshgw</c>: a copy of the tool's own output, dependencies included.</summary>
internal static class MeshgwTool
{
    /// <summary>The tool's entry assembly, to run with <c>dotnet</c>.</summary>
    public static string Dll { get; } = Path.Combine(AppContext.BaseDirectory, "meshgw-tool", "meshgw.dll");
}
