using System.Reflection;
using System.Text.Json;
using MeshGateway.Testing;

namespace MeshGateway.Cli.Tests;

public class PackageDependencyTests
{
    [Fact]
    public void Tool_references_only_what_the_architecture_allows_and_no_aspnetcore()
    {
        Assembly assembly = Assembly.Load("meshgw");
        Assert.Empty(PackageDependencyRules.ForbiddenReferences(assembly));
        Assert.DoesNotContain(assembly.GetReferencedAssemblies(), r => r.Name!.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal));
    }

    [Fact]
    public void Tool_runs_on_the_base_runtime_alone()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "meshgw.runtimeconfig.json");
        using JsonDocument config = JsonDocument.Parse(File.ReadAllText(path));
        JsonElement options = config.RootElement.GetProperty("runtimeOptions");
        string[] frameworks = options.TryGetProperty("frameworks", out JsonElement list)
            ? [.. list.EnumerateArray().Select(f => f.GetProperty("name").GetString()!)]
            : [options.GetProperty("framework").GetProperty("name").GetString()!];

        Assert.Equal(["Microsoft.NETCore.App"], frameworks);
    }
}
