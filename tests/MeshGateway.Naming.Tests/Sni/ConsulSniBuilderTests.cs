namespace MeshGateway.Naming.Tests.Sni;

/// <summary>The builders against the rules of spec §2.2 (Consul's agent/connect/sni.go).</summary>
public class ConsulSniBuilderTests
{
    private const string Td = "11111111-2222-3333-4444-555555555555.consul";

    [Theory]
    [InlineData("api", null, null, null, "dc1", "api.default.dc1.internal." + Td)]
    [InlineData("api", "", "", "", "dc1", "api.default.dc1.internal." + Td)]
    [InlineData("api", "v1", null, null, "dc1", "v1.api.default.dc1.internal." + Td)]
    [InlineData("api", null, "ns1", null, "dc2", "api.ns1.dc2.internal." + Td)]
    [InlineData("api", null, "default", "default", "dc1", "api.default.dc1.internal." + Td)]
    [InlineData("api", null, null, "part1", "dc1", "api.default.part1.dc1.internal-v1." + Td)]
    [InlineData("api", "v2", "ns1", "part1", "dc1", "v2.api.ns1.part1.dc1.internal-v1." + Td)]
    [InlineData("API", null, "NS", null, "dc1", "API.NS.dc1.internal." + Td)]
    public void Service_names_follow_consuls_service_sni(
        string service, string? subset, string? ns, string? partition, string dc, string expected)
    {
        Assert.Equal(expected, ConsulSni.Service(service, subset, ns, partition, dc, Td));
    }

    [Fact]
    public void Partition_default_is_compared_ordinally_so_Default_is_a_named_partition()
    {
        Assert.Equal("api.default.Default.dc1.internal-v1." + Td, ConsulSni.Service("api", null, null, "Default", "dc1", Td));
        Assert.Equal("Default.dc1.internal-v1." + Td, ConsulSni.Gateway("dc1", "Default", Td));
    }

    [Theory]
    [InlineData("dc2", null, "dc2.internal." + Td)]
    [InlineData("dc2", "", "dc2.internal." + Td)]
    [InlineData("dc2", "default", "dc2.internal." + Td)]
    [InlineData("dc2", "part1", "part1.dc2.internal-v1." + Td)]
    public void Gateway_names_follow_consuls_gateway_sni(string dc, string? partition, string expected)
    {
        Assert.Equal(expected, ConsulSni.Gateway(dc, partition, Td));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("part1")]
    public void Every_service_name_ends_with_dot_and_its_datacenters_gateway_name(string? partition)
    {
        string service = ConsulSni.Service("api", "v1", "ns1", partition, "dc2", Td);
        string gateway = ConsulSni.Gateway("dc2", partition, Td);

        Assert.EndsWith("." + gateway, service, StringComparison.Ordinal);
    }

    [Fact]
    public void Prepared_query_names_use_literal_default_and_query_labels()
    {
        Assert.Equal("geo-db.default.dc1.query." + Td, ConsulSni.Query("geo-db", "dc1", Td));
    }

    [Theory]
    [InlineData("api", null, null, "cloud", "api.default.default.cloud.external." + Td)]
    [InlineData("api", "ns1", "part1", "cloud", "api.ns1.part1.cloud.external." + Td)]
    [InlineData("api", "", "default", "cloud", "api.default.default.cloud.external." + Td)]
    public void Peered_names_always_carry_namespace_and_partition(string service, string? ns, string? partition, string peer, string expected)
    {
        Assert.Equal(expected, ConsulSni.Peered(service, ns, partition, peer, Td));
    }

    [Theory]
    [InlineData("")]
    [InlineData(null)]
    public void Peered_name_without_a_peer_is_an_argument_error_with_consuls_wording(string? peer)
    {
        var error = Assert.Throws<ArgumentException>(() => ConsulSni.Peered("api", null, null, peer!, Td));
        Assert.StartsWith("peer name is a requirement for this function and does not make sense without it", error.Message, StringComparison.Ordinal);
        Assert.Equal("peer", error.ParamName);
    }

    [Fact]
    public void Upstream_uses_its_own_datacenter_when_set_and_the_local_one_otherwise()
    {
        Assert.Equal("db.default.dc1.internal." + Td, ConsulSni.Upstream(new ConsulUpstream("db"), null, "dc1", Td));
        Assert.Equal("db.default.dc3.internal." + Td, ConsulSni.Upstream(new ConsulUpstream("db", Datacenter: "dc3"), null, "dc1", Td));
        Assert.Equal("v1.db.ns.part1.dc1.internal-v1." + Td,
            ConsulSni.Upstream(new ConsulUpstream("db", DestinationNamespace: "ns", DestinationPartition: "part1"), "v1", "dc1", Td));
    }

    [Fact]
    public void Prepared_query_upstream_gets_a_query_name_ignoring_namespace_partition_and_subset()
    {
        var upstream = new ConsulUpstream("geo", ConsulUpstreamDestinationType.PreparedQuery, "ns", "part1", "dc3");
        Assert.Equal("geo.default.dc3.query." + Td, ConsulSni.Upstream(upstream, "v1", "dc1", Td));
    }

    [Fact]
    public void Upstream_peer_is_ignored_as_in_consul()
    {
        var upstream = new ConsulUpstream("db", DestinationPeer: "cloud");
        Assert.Equal("db.default.dc1.internal." + Td, ConsulSni.Upstream(upstream, null, "dc1", Td));
    }

    [Fact]
    public void Target_names_are_service_names_of_the_target()
    {
        Assert.Equal("v2.main.default.dc2.internal." + Td, ConsulSni.Target(new ConsulTarget("main", "v2", "default", "default", "dc2"), Td));
        Assert.Equal("main.ns.part1.dc2.internal-v1." + Td, ConsulSni.Target(new ConsulTarget("main", null, "ns", "part1", "dc2"), Td));
    }

    [Theory]
    [InlineData("11111111-2222-3333-4444-555555555555", "11111111-2222-3333-4444-555555555555.consul")]
    [InlineData("5FCD4B81-A2CA-405A-AC62-0FAC602C1949", "5fcd4b81-a2ca-405a-ac62-0fac602c1949.consul")]
    public void Trust_domain_is_the_cluster_id_dot_consul_lower_cased(string clusterId, string expected)
    {
        Assert.Equal(expected, ConsulSni.TrustDomainFromClusterId(clusterId));
    }

    [Fact]
    public void Trust_domain_needs_a_cluster_id()
    {
        Assert.Throws<ArgumentException>(() => ConsulSni.TrustDomainFromClusterId(""));
        Assert.Throws<ArgumentNullException>(() => ConsulSni.TrustDomainFromClusterId(null!));
    }

    [Theory]
    [InlineData("a.b", null, null, null, "dc1", "service")]
    [InlineData("api", "v.1", null, null, "dc1", "subset")]
    [InlineData("api", null, "ns.x", null, "dc1", "namespace")]
    [InlineData("api", null, null, "p.x", "dc1", "partition")]
    [InlineData("api", null, null, null, "dc.1", "datacenter")]
    [InlineData("", null, null, null, "dc1", "service")]
    [InlineData("api", null, null, null, "", "datacenter")]
    public void Builders_reject_a_part_with_a_dot_or_an_empty_required_part(
        string service, string? subset, string? ns, string? partition, string dc, string parameter)
    {
        var error = Assert.Throws<ArgumentException>(() => ConsulSni.Service(service, subset, ns, partition, dc, Td));
        Assert.Equal(parameter, error.ParamName);
    }

    [Theory]
    [InlineData("")]
    [InlineData(".consul")]
    [InlineData("td.")]
    [InlineData("a..consul")]
    public void Builders_reject_a_trust_domain_with_an_empty_label(string trustDomain)
    {
        var error = Assert.Throws<ArgumentException>(() => ConsulSni.Gateway("dc1", null, trustDomain));
        Assert.Equal("trustDomain", error.ParamName);
    }

    [Fact]
    public void Builders_reject_dots_in_gateway_query_and_peered_parts()
    {
        Assert.Throws<ArgumentException>(() => ConsulSni.Gateway("dc1", "p.1", Td));
        Assert.Throws<ArgumentException>(() => ConsulSni.Query("q.1", "dc1", Td));
        Assert.Throws<ArgumentException>(() => ConsulSni.Peered("api", null, null, "peer.x", Td));
    }

    [Fact]
    public void TryFormat_writes_the_same_text_as_ToString_and_reports_its_length()
    {
        var name = ConsulSniName.ForService("api", "v1", "ns1", "part1", "dc1", Td);
        Span<char> buffer = stackalloc char[256];

        Assert.True(name.TryFormat(buffer, out int written));
        Assert.Equal(name.ToString(), buffer[..written].ToString());
        Assert.Equal(name.Length, written);
        Assert.Equal($"{name}", name.ToString());
    }

    [Fact]
    public void TryFormat_into_a_short_buffer_reports_zero_characters_and_returns_false()
    {
        var name = ConsulSniName.ForGateway("dc1", null, Td);
        Span<char> buffer = stackalloc char[name.Length - 1];

        Assert.False(name.TryFormat(buffer, out int written));
        Assert.Equal(0, written);
    }

    [Fact]
    public void Built_names_hold_normalised_parts_and_null_for_what_does_not_apply()
    {
        var service = ConsulSniName.ForService("api", "", "", null, "dc1", Td);
        Assert.Equal(ConsulSniKind.Service, service.Kind);
        Assert.Null(service.Subset);
        Assert.Equal("default", service.Namespace);
        Assert.Equal("default", service.Partition);
        Assert.Null(service.Peer);
        Assert.Null(service.Query);
        Assert.False(service.IsPartitionQualified);

        var query = ConsulSniName.ForPreparedQuery("geo", "dc1", Td);
        Assert.Null(query.Namespace);
        Assert.Null(query.Partition);
        Assert.Equal("geo", query.Query);

        Assert.True(ConsulSniName.ForGateway("dc1", "part1", Td).IsPartitionQualified);
    }

    [Fact]
    public void Default_name_formats_as_empty()
    {
        ConsulSniName name = default;
        Assert.Equal(string.Empty, name.ToString());
        Assert.True(name.TryFormat(Span<char>.Empty, out int written));
        Assert.Equal(0, written);
        Assert.Equal(ConsulSniKind.None, name.Kind);
    }

    [Fact]
    public void Names_with_equal_parts_are_equal()
    {
        var a = ConsulSniName.ForService("api", null, "", "", "dc1", Td);
        var b = ConsulSniName.ForService("api", null, "default", "default", "dc1", Td);
        var c = ConsulSniName.ForService("API", null, "default", "default", "dc1", Td);

        Assert.Equal(a, b);
        Assert.True(a == b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, c);
        Assert.True(a != c);
    }

    [Fact]
    public void Gateway_key_is_the_datacenter_or_partition_dot_datacenter()
    {
        Assert.Equal("dc2", ConsulSni.GatewayKey("dc2", null));
        Assert.Equal("dc2", ConsulSni.GatewayKey("dc2", "default"));
        Assert.Equal("part1.dc2", ConsulSni.GatewayKey("dc2", "part1"));
    }
}
