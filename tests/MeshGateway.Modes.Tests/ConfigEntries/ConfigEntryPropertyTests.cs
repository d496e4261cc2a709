using FsCheck.Xunit;
using MeshGateway.Modes.ConfigEntries;
using MeshGateway.Modes.Tests.Resolution;

namespace MeshGateway.Modes.Tests.ConfigEntries;

[Properties(Arbitrary = [typeof(ModesArbitraries)], MaxTest = 200)]
public class ConfigEntryPropertyTests
{
    private static UpstreamResolutionInput Read(string json)
    {
        var result = ConsulConfigReader.Read(json);
        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        Assert.True(result.Catalog!.TryGetUpstreamInput("web", "db", out var input, out string? error), error);
        return input;
    }

    [Property]
    public bool Each_layer_written_in_either_form_is_read_back_into_its_own_slot(MeshGatewayModeLayers layers, bool snake) =>
        Read(DocumentBuilder.Build(layers, snake, emptyBlocks: false)).Layers == layers;

    [Property]
    public bool Adding_entries_and_blocks_without_a_mode_never_changes_the_result(MeshGatewayModeLayers layers, bool snake)
    {
        var without = Read(DocumentBuilder.Build(layers, snake, emptyBlocks: false)).Resolve();
        var with = Read(DocumentBuilder.Build(layers, snake, emptyBlocks: true)).Resolve();
        return without == with;
    }

    [Property]
    public bool Both_forms_resolve_alike(MeshGatewayModeLayers layers) =>
        Read(DocumentBuilder.Build(layers, snake: false, emptyBlocks: true)).Resolve()
        == Read(DocumentBuilder.Build(layers, snake: true, emptyBlocks: true)).Resolve();
}
