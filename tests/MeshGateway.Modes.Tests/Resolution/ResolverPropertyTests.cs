using FsCheck.Xunit;

namespace MeshGateway.Modes.Tests.Resolution;

[Properties(Arbitrary = [typeof(ModesArbitraries)], MaxTest = 500)]
public class ResolverPropertyTests
{
    private static readonly MeshGatewayModeSource[] Layers =
        Enum.GetValues<MeshGatewayModeSource>().Where(s => s != MeshGatewayModeSource.Unset).ToArray();

    [Property]
    public bool Resolver_equals_a_naive_reference_fold(MeshGatewayModeLayers layers, UpstreamTarget target) =>
        MeshGatewayModeResolver.Resolve(layers, target) == ReferenceResolver.Resolve(layers, target);

    [Property]
    public bool Overlaying_a_default_layer_onto_any_layer_never_changes_the_result(
        MeshGatewayModeLayers layers, UpstreamTarget target, MeshGatewayModeSource layer)
    {
        var withDefault = layers.With(layer, layers[layer].OverlayWith(MeshGatewayMode.Default));
        return MeshGatewayModeResolver.Resolve(withDefault, target) == MeshGatewayModeResolver.Resolve(layers, target);
    }

    [Property]
    public bool Setting_an_unset_layer_below_the_decider_never_changes_the_result(
        MeshGatewayModeLayers layers, UpstreamTarget target, MeshGatewayModeSource layer, MeshGatewayMode mode)
    {
        var before = MeshGatewayModeResolver.Resolve(layers, target);
        if (before.Source == MeshGatewayModeSource.Unset || layer <= before.Source)
        {
            return true;
        }

        return MeshGatewayModeResolver.Resolve(layers.With(layer, mode), target) == before;
    }

    [Property]
    public bool Result_never_depends_on_layers_below_the_deciding_one(
        MeshGatewayModeLayers layers, MeshGatewayModeLayers noise, UpstreamTarget target)
    {
        var before = MeshGatewayModeResolver.Resolve(layers, target);
        var scrambled = layers;
        foreach (MeshGatewayModeSource layer in Layers)
        {
            if (before.Source != MeshGatewayModeSource.Unset && layer > before.Source)
            {
                scrambled = scrambled.With(layer, noise[layer]);
            }
        }

        return MeshGatewayModeResolver.Resolve(scrambled, target) == before;
    }

    [Property]
    public bool The_reported_source_holds_the_reported_mode_and_every_higher_layer_is_unset(
        MeshGatewayModeLayers layers, UpstreamTarget target)
    {
        var result = MeshGatewayModeResolver.Resolve(layers, target);
        bool higherUnset = Layers.Where(l => result.Source == MeshGatewayModeSource.Unset || l < result.Source)
            .All(l => layers[l] == MeshGatewayMode.Default);
        return higherUnset && layers[result.Source] == result.Mode;
    }

    [Property]
    public bool None_is_reported_overridden_only_for_peered_gateway_eligible_targets(
        MeshGatewayModeLayers layers, UpstreamTarget target)
    {
        var result = MeshGatewayModeResolver.Resolve(layers, target);
        bool expected = result.Mode == MeshGatewayMode.None && target.IsPeered && !target.HasExternalSni && !target.IsPreparedQuery;
        return result.NoneOverriddenForPeer == expected;
    }
}
