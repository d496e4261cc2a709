using Microsoft.Extensions.Configuration;

namespace MeshGateway.Forwarding.Hosting.Tests;

/// <summary>A <c>MeshGateway</c> section from key/value pairs, and problems rendered as a host logs them.</summary>
internal static class GatewaySections
{
    public const string Td = "11111111-2222-3333-4444-555555555555.consul";

    public static IConfigurationSection Section(Dictionary<string, string?> values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values).Build().GetSection("MeshGateway");

    public static string[] Rendered(IEnumerable<MeshGatewayOptionsProblem> problems) =>
        [.. problems.Select(p => $"{p.ToConfigurationPath("MeshGateway")}: {p.Message}")];
}
