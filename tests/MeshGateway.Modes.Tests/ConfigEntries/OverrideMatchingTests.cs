using MeshGateway.Modes.ConfigEntries;

namespace MeshGateway.Modes.Tests.ConfigEntries;

/// <summary>Spec §3.4 step 8: overrides are keyed by (peer, name, namespace, partition).</summary>
public class OverrideMatchingTests
{
    private static ServiceDefaultsEntry Entry(params UpstreamConfigEntry[] overrides) =>
        new("web", null, null, MeshGatewayMode.Default, null, null, overrides);

    private static UpstreamConfigEntry Override(string name, MeshGatewayMode mode, string? ns = null, string? partition = null, string? peer = null) =>
        new(name, ns, partition, peer, mode);

    [Fact]
    public void Name_must_match_exactly()
    {
        var entry = Entry(Override("db", MeshGatewayMode.Local));

        Assert.NotNull(ConsulModeCatalog.FindOverride(entry, "db", null, null, null));
        Assert.Null(ConsulModeCatalog.FindOverride(entry, "DB", null, null, null));
        Assert.Null(ConsulModeCatalog.FindOverride(entry, "db2", null, null, null));
    }

    [Fact]
    public void Empty_namespace_and_partition_mean_default_on_both_sides()
    {
        var entry = Entry(Override("db", MeshGatewayMode.Local, ns: "", partition: "default"));

        Assert.NotNull(ConsulModeCatalog.FindOverride(entry, "db", "default", null, null));
        Assert.Null(ConsulModeCatalog.FindOverride(entry, "db", "ns1", null, null));
        Assert.Null(ConsulModeCatalog.FindOverride(entry, "db", null, "part1", null));
    }

    [Fact]
    public void Override_without_namespace_takes_the_entrys_namespace()
    {
        var entry = new ServiceDefaultsEntry("web", "team-a", null, MeshGatewayMode.Default, null, null, [Override("db", MeshGatewayMode.Remote)]);

        Assert.NotNull(ConsulModeCatalog.FindOverride(entry, "db", "team-a", null, null));
        Assert.Null(ConsulModeCatalog.FindOverride(entry, "db", "default", null, null));
    }

    [Fact]
    public void When_no_override_names_a_peer_a_peered_upstream_matches_by_name()
    {
        var entry = Entry(Override("db", MeshGatewayMode.Local));

        Assert.Equal(MeshGatewayMode.Local, ConsulModeCatalog.FindOverride(entry, "db", null, null, "cluster-02")?.Mode);
    }

    [Fact]
    public void When_an_override_names_a_peer_the_peer_must_match()
    {
        var entry = Entry(Override("db", MeshGatewayMode.Local), Override("db", MeshGatewayMode.Remote, peer: "cluster-02"));

        Assert.Equal(MeshGatewayMode.Remote, ConsulModeCatalog.FindOverride(entry, "db", null, null, "cluster-02")?.Mode);
        Assert.Equal(MeshGatewayMode.Local, ConsulModeCatalog.FindOverride(entry, "db", null, null, null)?.Mode);
        Assert.Null(ConsulModeCatalog.FindOverride(entry, "db", null, null, "cluster-03"));
    }

    [Fact]
    public void The_last_of_several_matching_overrides_wins_as_in_consuls_map()
    {
        var entry = Entry(Override("db", MeshGatewayMode.Local), Override("db", MeshGatewayMode.None));

        Assert.Equal(MeshGatewayMode.None, ConsulModeCatalog.FindOverride(entry, "db", null, null, null)?.Mode);
    }
}
