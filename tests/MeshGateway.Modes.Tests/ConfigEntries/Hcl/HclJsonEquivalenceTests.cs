using FsCheck.Xunit;
using MeshGateway.Modes.ConfigEntries;
using MeshGateway.Modes.Tests.Resolution;

namespace MeshGateway.Modes.Tests.ConfigEntries.Hcl;

/// <summary>The same document in HCL (any style) and in JSON reads to the same catalog and resolves identically.</summary>
[Properties(Arbitrary = [typeof(ModesArbitraries)], MaxTest = 200)]
public class HclJsonEquivalenceTests
{
    [Property]
    public void Hcl_and_json_of_the_same_document_resolve_identically(MeshGatewayModeLayers layers, bool snake, bool emptyBlocks, int seed)
    {
        string json = DocumentBuilder.Build(layers, snake, emptyBlocks);
        string hcl = JsonToHcl.Convert(json, seed);

        ConsulConfigReadResult fromJson = ConsulConfigReader.Read(System.Text.Encoding.UTF8.GetBytes(json), ConsulConfigFormat.Json);
        ConsulConfigReadResult fromHcl = ConsulConfigReader.Read(System.Text.Encoding.UTF8.GetBytes(hcl), ConsulConfigFormat.Hcl);

        Assert.True(fromJson.Succeeded, string.Join("\n", fromJson.Errors));
        Assert.True(fromHcl.Succeeded, hcl + "\n" + string.Join("\n", fromHcl.Errors));
        Assert.Equal(HclFixtures.Resolve(fromJson.Catalog!, "web", "db"), HclFixtures.Resolve(fromHcl.Catalog!, "web", "db"));
        Assert.Equal(fromJson.Catalog!.ProxyDefaults, fromHcl.Catalog!.ProxyDefaults);
    }

    [Property]
    public void An_invalid_mode_gives_the_same_error_in_hcl_and_json(bool snake, int seed, string? mode)
    {
        // HCL 1 reads "${" in a quoted string as the start of an interpolation that must close, so an unbalanced
        // one cannot be written in HCL at all (the reader says so: HclSyntaxTests); JSON has no such form.
        mode = mode?.Replace("${", "$", StringComparison.Ordinal);
        string json = DocumentBuilder.Build(new MeshGatewayModeLayers(ProxyDefaults: MeshGatewayMode.Local), snake, emptyBlocks: false)
            .Replace("\"local\"", System.Text.Json.JsonSerializer.Serialize(mode ?? "x"), StringComparison.Ordinal);
        string hcl = JsonToHcl.Convert(json, seed);

        ConsulConfigReadResult fromJson = ConsulConfigReader.Read(System.Text.Encoding.UTF8.GetBytes(json), ConsulConfigFormat.Json);
        ConsulConfigReadResult fromHcl = ConsulConfigReader.Read(System.Text.Encoding.UTF8.GetBytes(hcl), ConsulConfigFormat.Hcl);

        // The same errors, each at its value's line and column in its own syntax.
        Assert.Equal(fromJson.Errors.Select(e => e with { Line = 0, Column = 0 }), fromHcl.Errors.Select(e => e with { Line = 0, Column = 0 }));
        Assert.All(fromJson.Errors.Concat(fromHcl.Errors), e => Assert.True(e.Line > 0 && e.Column > 0, e.ToString()));
    }
}
