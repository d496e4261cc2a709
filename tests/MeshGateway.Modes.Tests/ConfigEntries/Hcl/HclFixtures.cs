using System.Text;
using MeshGateway.Modes.ConfigEntries;

namespace MeshGateway.Modes.Tests.ConfigEntries.Hcl;

/// <summary>The fixture files in TestData, and the resolution the way <c>meshgw resolve --entries</c> computes it.</summary>
internal static class HclFixtures
{
    public static string PathOf(string name) => Path.Combine(AppContext.BaseDirectory, "ConfigEntries", "Hcl", "TestData", name);

    public static byte[] Bytes(string name) => File.ReadAllBytes(PathOf(name));

    /// <summary>The same document with every line's leading white space removed.</summary>
    public static byte[] Unindented(byte[] document) =>
        Encoding.UTF8.GetBytes(string.Join('\n', Encoding.UTF8.GetString(document).Split('\n').Select(line => line.TrimStart(' ', '\t'))));

    public static ConsulModeCatalog ReadValid(params ConsulConfigSource[] sources)
    {
        ConsulConfigReadResult result = ConsulConfigReader.Read(sources);
        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        return result.Catalog!;
    }

    /// <summary>As the resolve verb does: look the proxy up, gather the layers, run the resolver.</summary>
    public static string Resolve(ConsulModeCatalog catalog, string service, string upstream)
    {
        Assert.True(catalog.TryGetUpstreamInput(service, upstream, out UpstreamResolutionInput input, out string? error), error);
        MeshGatewayResolution resolution = input.Resolve();
        return $"{resolution.Mode} / {resolution.Source} / {resolution.Path}";
    }
}
