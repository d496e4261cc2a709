namespace MeshGateway.Modes.Tests.Resolution;

public class DialPathTests
{
    private static MeshGatewayResolution Resolve(MeshGatewayMode mode, UpstreamTarget target) =>
        MeshGatewayModeResolver.Resolve(new MeshGatewayModeLayers(Upstream: mode), target);

    [Theory]
    [InlineData(MeshGatewayMode.Default, DialPath.Direct)]
    [InlineData(MeshGatewayMode.None, DialPath.Direct)]
    [InlineData(MeshGatewayMode.Local, DialPath.LocalGateway)]
    [InlineData(MeshGatewayMode.Remote, DialPath.RemoteGateway)]
    public void Other_datacenter_follows_the_mode_with_default_acting_as_none(MeshGatewayMode mode, DialPath expected)
    {
        var result = Resolve(mode, UpstreamTarget.InDatacenter("dc1", "dc2"));

        Assert.Equal(expected, result.Path);
        Assert.Equal(mode, result.Mode);
        Assert.False(result.NoneOverriddenForPeer);
    }

    [Theory]
    [InlineData(MeshGatewayMode.Default, DialPath.Direct)]
    [InlineData(MeshGatewayMode.None, DialPath.Direct)]
    [InlineData(MeshGatewayMode.Local, DialPath.LocalGateway)]
    [InlineData(MeshGatewayMode.Remote, DialPath.RemoteGateway)]
    public void Other_partition_in_the_same_datacenter_follows_the_mode(MeshGatewayMode mode, DialPath expected)
    {
        var target = new UpstreamTarget("dc1", "dc1", LocalPartition: "default", TargetPartition: "part1");

        Assert.Equal(expected, Resolve(mode, target).Path);
    }

    [Theory]
    [InlineData(MeshGatewayMode.Default)]
    [InlineData(MeshGatewayMode.None)]
    [InlineData(MeshGatewayMode.Local)]
    [InlineData(MeshGatewayMode.Remote)]
    public void Same_datacenter_and_partition_is_direct_whatever_the_mode(MeshGatewayMode mode)
    {
        Assert.Equal(DialPath.Direct, Resolve(mode, UpstreamTarget.InDatacenter("dc1", "dc1")).Path);
        Assert.Equal(DialPath.Direct, Resolve(mode, new UpstreamTarget("dc1", TargetDatacenter: null)).Path);
        Assert.Equal(DialPath.Direct, Resolve(mode, new UpstreamTarget("dc1", "dc1", "", "default")).Path);
    }

    [Fact]
    public void Partition_names_compare_exactly_so_Default_is_another_partition()
    {
        var target = new UpstreamTarget("dc1", "dc1", LocalPartition: "default", TargetPartition: "Default");

        Assert.Equal(DialPath.RemoteGateway, Resolve(MeshGatewayMode.Remote, target).Path);
    }

    [Theory]
    [InlineData(MeshGatewayMode.Default, DialPath.RemoteGateway, false)]
    [InlineData(MeshGatewayMode.None, DialPath.RemoteGateway, true)]
    [InlineData(MeshGatewayMode.Local, DialPath.LocalGateway, false)]
    [InlineData(MeshGatewayMode.Remote, DialPath.RemoteGateway, false)]
    public void Peered_targets_default_to_the_remote_gateway_and_override_none(MeshGatewayMode mode, DialPath expected, bool overridden)
    {
        var result = Resolve(mode, UpstreamTarget.FromPeer("cluster-02"));

        Assert.Equal(expected, result.Path);
        Assert.Equal(overridden, result.NoneOverriddenForPeer);
        Assert.Equal(mode, result.Mode);
    }

    [Fact]
    public void Peered_target_ignores_the_datacenter_comparison()
    {
        var target = new UpstreamTarget("dc1", "dc1", Peer: "cluster-02");

        Assert.Equal(DialPath.RemoteGateway, Resolve(MeshGatewayMode.Default, target).Path);
    }

    [Theory]
    [InlineData(MeshGatewayMode.Default)]
    [InlineData(MeshGatewayMode.None)]
    [InlineData(MeshGatewayMode.Local)]
    [InlineData(MeshGatewayMode.Remote)]
    public void External_sni_targets_are_direct_even_across_datacenters_and_peers(MeshGatewayMode mode)
    {
        var target = new UpstreamTarget("dc1", "dc2", Peer: "cluster-02", HasExternalSni: true);

        var result = Resolve(mode, target);

        Assert.Equal(DialPath.Direct, result.Path);
        Assert.False(result.NoneOverriddenForPeer);
    }

    [Theory]
    [InlineData(MeshGatewayMode.Local)]
    [InlineData(MeshGatewayMode.Remote)]
    public void Prepared_queries_never_use_gateways(MeshGatewayMode mode)
    {
        var target = new UpstreamTarget("dc1", "dc2", IsPreparedQuery: true);

        Assert.Equal(DialPath.Direct, Resolve(mode, target).Path);
    }

    [Fact]
    public void UsesGateway_is_true_exactly_for_gateway_paths()
    {
        Assert.False(Resolve(MeshGatewayMode.None, UpstreamTarget.InDatacenter("dc1", "dc2")).UsesGateway);
        Assert.True(Resolve(MeshGatewayMode.Local, UpstreamTarget.InDatacenter("dc1", "dc2")).UsesGateway);
        Assert.True(Resolve(MeshGatewayMode.Default, UpstreamTarget.FromPeer("p")).UsesGateway);
    }
}
