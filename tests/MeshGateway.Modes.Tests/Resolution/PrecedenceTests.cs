namespace MeshGateway.Modes.Tests.Resolution;

public class PrecedenceTests
{
    private static readonly UpstreamTarget OtherDatacenter = UpstreamTarget.InDatacenter("dc1", "dc2");

    private static readonly MeshGatewayModeSource[] Order =
    [
        MeshGatewayModeSource.Upstream,
        MeshGatewayModeSource.UpstreamOverride,
        MeshGatewayModeSource.Proxy,
        MeshGatewayModeSource.UpstreamDefaults,
        MeshGatewayModeSource.ServiceDefaults,
        MeshGatewayModeSource.ProxyDefaults,
        MeshGatewayModeSource.TargetServiceDefaults,
    ];

    [Fact]
    public void Nothing_set_anywhere_is_default_from_no_layer_and_direct()
    {
        var result = MeshGatewayModeResolver.Resolve(default, OtherDatacenter);

        Assert.Equal(new MeshGatewayResolution(MeshGatewayMode.Default, MeshGatewayModeSource.Unset, DialPath.Direct, false), result);
    }

    [Fact]
    public void Each_layer_beats_every_layer_below_it()
    {
        for (int winner = 0; winner < Order.Length; winner++)
        {
            // The winner says local; every lower layer says remote; every higher layer is unset.
            var layers = default(MeshGatewayModeLayers).With(Order[winner], MeshGatewayMode.Local);
            for (int lower = winner + 1; lower < Order.Length; lower++)
            {
                layers = layers.With(Order[lower], MeshGatewayMode.Remote);
            }

            var result = MeshGatewayModeResolver.Resolve(layers, OtherDatacenter);

            Assert.Equal(MeshGatewayMode.Local, result.Mode);
            Assert.Equal(Order[winner], result.Source);
            Assert.Equal(DialPath.LocalGateway, result.Path);
        }
    }

    [Fact]
    public void Upstream_definition_beats_the_service_defaults_override()
    {
        var layers = new MeshGatewayModeLayers(Upstream: MeshGatewayMode.None, UpstreamOverride: MeshGatewayMode.Remote);

        var result = MeshGatewayModeResolver.Resolve(layers, OtherDatacenter);

        Assert.Equal((MeshGatewayMode.None, MeshGatewayModeSource.Upstream, DialPath.Direct), (result.Mode, result.Source, result.Path));
    }

    [Fact]
    public void Proxy_registration_beats_upstream_defaults_but_loses_to_the_override()
    {
        var layers = new MeshGatewayModeLayers(Proxy: MeshGatewayMode.Remote, UpstreamDefaults: MeshGatewayMode.Local);
        Assert.Equal(MeshGatewayModeSource.Proxy, MeshGatewayModeResolver.Resolve(layers, OtherDatacenter).Source);

        layers = layers with { UpstreamOverride = MeshGatewayMode.None };
        Assert.Equal(MeshGatewayModeSource.UpstreamOverride, MeshGatewayModeResolver.Resolve(layers, OtherDatacenter).Source);
    }

    [Fact]
    public void Upstream_defaults_rank_above_the_service_defaults_top_level()
    {
        var layers = new MeshGatewayModeLayers(UpstreamDefaults: MeshGatewayMode.Remote, ServiceDefaults: MeshGatewayMode.Local);

        var result = MeshGatewayModeResolver.Resolve(layers, OtherDatacenter);

        Assert.Equal((MeshGatewayMode.Remote, MeshGatewayModeSource.UpstreamDefaults), (result.Mode, result.Source));
    }

    [Fact]
    public void Service_defaults_beat_proxy_defaults()
    {
        var layers = new MeshGatewayModeLayers(ServiceDefaults: MeshGatewayMode.Remote, ProxyDefaults: MeshGatewayMode.Local);

        Assert.Equal(MeshGatewayModeSource.ServiceDefaults, MeshGatewayModeResolver.Resolve(layers, OtherDatacenter).Source);
    }

    [Fact]
    public void Target_service_defaults_are_used_only_when_every_downstream_layer_is_empty()
    {
        var onlyTarget = new MeshGatewayModeLayers(TargetServiceDefaults: MeshGatewayMode.Remote);
        var result = MeshGatewayModeResolver.Resolve(onlyTarget, OtherDatacenter);
        Assert.Equal((MeshGatewayMode.Remote, MeshGatewayModeSource.TargetServiceDefaults, DialPath.RemoteGateway), (result.Mode, result.Source, result.Path));

        var withProxyDefaults = onlyTarget with { ProxyDefaults = MeshGatewayMode.Local };
        result = MeshGatewayModeResolver.Resolve(withProxyDefaults, OtherDatacenter);
        Assert.Equal((MeshGatewayMode.Local, MeshGatewayModeSource.ProxyDefaults), (result.Mode, result.Source));
    }

    [Fact]
    public void None_is_a_real_value_that_stops_inheritance()
    {
        var layers = new MeshGatewayModeLayers(Proxy: MeshGatewayMode.None, ProxyDefaults: MeshGatewayMode.Remote);

        var result = MeshGatewayModeResolver.Resolve(layers, OtherDatacenter);

        Assert.Equal((MeshGatewayMode.None, MeshGatewayModeSource.Proxy, DialPath.Direct), (result.Mode, result.Source, result.Path));
    }

    [Fact]
    public void An_undefined_mode_in_the_deciding_layer_is_a_caller_bug()
    {
        var layers = new MeshGatewayModeLayers(Proxy: (MeshGatewayMode)42);

        Assert.Throws<ArgumentOutOfRangeException>(() => MeshGatewayModeResolver.Resolve(layers, OtherDatacenter));
    }

    [Fact]
    public void Layers_indexer_and_With_address_every_layer()
    {
        foreach (MeshGatewayModeSource source in Order)
        {
            var layers = default(MeshGatewayModeLayers).With(source, MeshGatewayMode.Remote);
            Assert.Equal(MeshGatewayMode.Remote, layers[source]);
            Assert.Equal(1, Order.Count(s => layers[s] != MeshGatewayMode.Default));
        }

        Assert.Equal(MeshGatewayMode.Default, default(MeshGatewayModeLayers)[MeshGatewayModeSource.Unset]);
        Assert.Throws<ArgumentOutOfRangeException>(() => default(MeshGatewayModeLayers).With(MeshGatewayModeSource.Unset, MeshGatewayMode.Local));
    }
}
