namespace MeshGateway.Naming.Tests.MeshGateways;

/// <summary>The decision table of spec §4.3: a gateway in dc1, default partition; remote dc2, dc4, dc6; local foo and bar (subsets v1, v2).</summary>
public class MeshGatewayRouteBuilderTests
{
    private const string Td = "11111111-2222-3333-4444-555555555555.consul";

    private static SniRouteTable<MeshGatewayRoute> Dc1Gateway(bool withPartitionKey = false)
    {
        var builder = new MeshGatewayRouteBuilder("dc1", partition: null, Td)
            .AddLocalService("foo")
            .AddLocalService("bar", subsets: ["v1", "v2"])
            .AddRemoteGateway("dc2")
            .AddRemoteGateway("dc4")
            .AddRemoteGateway("dc6")
            .AddRemoteGateway("dc1"); // its own key: skipped, as Consul does
        if (withPartitionKey)
        {
            builder.AddRemoteGateway("dc2", "part1");
        }

        return builder.Build();
    }

    [Theory]
    [InlineData("bar.default.dc1.internal." + Td, "bar", null)]
    [InlineData("v1.bar.default.dc1.internal." + Td, "bar", "v1")]
    [InlineData("v2.bar.default.dc1.internal." + Td, "bar", "v2")]
    [InlineData("foo.default.dc1.internal." + Td, "foo", null)]
    public void Local_service_and_subset_snis_route_to_the_cluster_named_by_the_sni(string sni, string service, string? subset)
    {
        Assert.True(Dc1Gateway().TryLookup(sni, out MeshGatewayRoute? route, out SniMatchKind kind));

        Assert.Equal(SniMatchKind.Exact, kind);
        Assert.Equal(new MeshGatewayRoute(MeshGatewayRouteKind.LocalService, sni, "dc1", "default", service, "default", subset), route);
        Assert.Equal("dc1", route.GatewayKey);
    }

    [Theory]
    [InlineData("api.default.dc2.internal." + Td, "dc2")]
    [InlineData("v2.web.ns1.dc4.internal." + Td, "dc4")]
    [InlineData("x.default.dc6.internal." + Td, "dc6")]
    public void Remote_datacenter_snis_are_forwarded_to_that_datacenters_gateways(string sni, string datacenter)
    {
        Assert.True(Dc1Gateway().TryLookup(sni, out MeshGatewayRoute? route, out SniMatchKind kind));

        Assert.Equal(SniMatchKind.WildcardSuffix, kind);
        Assert.Equal(MeshGatewayRouteKind.RemoteGateway, route.Kind);
        Assert.Equal($"{datacenter}.internal.{Td}", route.ClusterName);
        Assert.Equal(datacenter, route.Datacenter);
        Assert.Equal("default", route.Partition);
        Assert.Equal(datacenter, route.GatewayKey);
        Assert.Null(route.Service);
    }

    [Fact]
    public void Partition_sni_goes_to_the_partition_gateways_when_that_key_is_known()
    {
        const string sni = "api.default.part1.dc2.internal-v1." + Td;

        Assert.True(Dc1Gateway(withPartitionKey: true).TryLookup(sni, out MeshGatewayRoute? route, out SniMatchKind kind));
        Assert.Equal(SniMatchKind.WildcardSuffix, kind);
        Assert.Equal("part1.dc2.internal-v1." + Td, route.ClusterName);
        Assert.Equal("part1.dc2", route.GatewayKey);
    }

    [Fact]
    public void Partition_sni_has_no_route_when_that_key_is_unknown()
    {
        Assert.False(Dc1Gateway().TryLookup("api.default.part1.dc2.internal-v1." + Td, out _, out SniMatchKind kind));
        Assert.Equal(SniMatchKind.None, kind);
    }

    [Theory]
    [InlineData("baz.default.dc1.internal." + Td)] // unknown local service
    [InlineData("v3.bar.default.dc1.internal." + Td)] // unknown subset
    [InlineData("api.default.dc9.internal." + Td)] // unknown datacenter
    [InlineData("foo.default.dc1.internal.99999999-2222-3333-4444-555555555555.consul")] // other trust domain
    [InlineData("api.default.dc2.internal.99999999-2222-3333-4444-555555555555.consul")]
    [InlineData("")] // no SNI
    [InlineData("magic.default.dc1.query." + Td)] // prepared query
    [InlineData("magic.default.dc2.query." + Td)]
    [InlineData("dc1.internal." + Td)] // the gateway's own name
    [InlineData("x.default.dc1.internal-v1." + Td)]
    public void Everything_else_has_no_route_so_the_gateway_closes_the_connection(string sni)
    {
        Assert.False(Dc1Gateway().TryLookup(sni, out MeshGatewayRoute? route, out SniMatchKind kind));
        Assert.Null(route);
        Assert.Equal(SniMatchKind.None, kind);
    }

    [Fact]
    public void Remote_gateway_sni_itself_reaches_that_gateway_as_consuls_catch_all_would()
    {
        // Consul's catch-all sni_cluster picks the existing cluster named dc2.internal.<td> (spec §4.3, last row).
        Assert.True(Dc1Gateway().TryLookup("dc2.internal." + Td, out MeshGatewayRoute? route, out SniMatchKind kind));
        Assert.Equal(SniMatchKind.Exact, kind);
        Assert.Equal(MeshGatewayRouteKind.RemoteGateway, route.Kind);
        Assert.Equal("dc2", route.Datacenter);
    }

    [Fact]
    public void Lookup_is_ascii_case_insensitive_and_ignores_a_final_dot()
    {
        Assert.True(Dc1Gateway().TryLookup("BAR.Default.DC1.internal." + Td.ToUpperInvariant() + ".", out MeshGatewayRoute? route, out _));
        Assert.Equal("bar", route.Service);
    }

    [Fact]
    public void Gateway_in_a_partition_routes_its_services_with_internal_v1_names_and_other_partitions_of_its_dc_remotely()
    {
        var table = new MeshGatewayRouteBuilder("dc1", "part1", Td)
            .AddLocalService("api", "ns1", ["v1"])
            .AddRemoteGateway("dc1") // dc1 default partition: remote for a part1 gateway
            .AddRemoteGateway("dc1", "part1") // itself
            .Build();

        Assert.True(table.TryLookup("v1.api.ns1.part1.dc1.internal-v1." + Td, out MeshGatewayRoute? local, out _));
        Assert.Equal(new MeshGatewayRoute(MeshGatewayRouteKind.LocalService, "v1.api.ns1.part1.dc1.internal-v1." + Td, "dc1", "part1", "api", "ns1", "v1"), local);
        Assert.True(table.TryLookup("web.default.dc1.internal." + Td, out MeshGatewayRoute? remote, out _));
        Assert.Equal("dc1.internal." + Td, remote.ClusterName);
        Assert.False(table.TryLookup("web.default.part1.dc1.internal-v1." + Td, out _, out _));
        Assert.Equal(4, table.Count); // api, v1.api, *.dc1.internal.td and dc1.internal.td
    }

    [Fact]
    public void Invalid_parts_and_collisions_are_all_reported_at_once()
    {
        var builder = new MeshGatewayRouteBuilder("DC1", null, Td)
            .AddLocalService("a.b")
            .AddLocalService("web", "ns.x", ["v1", ""])
            .AddRemoteGateway("dc 2");

        // An invalid gateway datacenter does not hide the other names' problems (issue 14, item 6).
        Assert.False(builder.TryBuild(out _, out IReadOnlyList<string> errors));
        Assert.Equal(
            [
                "gateway datacenter cannot be \"DC1\". Please use only [a-z0-9-_].",
                "service \"a.b\" must not contain a dot (SNI labels are dot-joined)",
                "namespace of service \"web\" \"ns.x\" must not contain a dot (SNI labels are dot-joined)",
                "subset of service \"web\" must not be empty",
                "remote datacenter cannot be \"dc 2\". Please use only [a-z0-9-_].",
            ],
            errors);

        var second = new MeshGatewayRouteBuilder("dc1", null, Td)
            .AddLocalService("a.b")
            .AddLocalService("web", "ns.x", ["v1", ""])
            .AddLocalService("api")
            .AddLocalService("api")
            .AddRemoteGateway("dc 2")
            .AddRemoteGateway("dc3")
            .AddRemoteGateway("dc3");
        var thrown = Assert.Throws<SniRouteTableException>(() => second.Build());
        Assert.Equal(7, thrown.Errors.Count); // dc3 twice: its wildcard and its exact rule both collide
        Assert.Contains("service \"a.b\" must not contain a dot (SNI labels are dot-joined)", thrown.Errors);
        Assert.Contains("namespace of service \"web\" \"ns.x\" must not contain a dot (SNI labels are dot-joined)", thrown.Errors);
        Assert.Contains("subset of service \"web\" must not be empty", thrown.Errors);
        Assert.Contains("remote datacenter cannot be \"dc 2\". Please use only [a-z0-9-_].", thrown.Errors);
        Assert.Contains(thrown.Errors, e => e.Contains("duplicates \"api.default.dc1.internal." + Td + "\"", StringComparison.Ordinal));
        Assert.Contains(thrown.Errors, e => e.Contains("duplicates \"*.dc3.internal." + Td + "\"", StringComparison.Ordinal));
    }

    [Fact]
    public void Remote_key_naming_the_gateways_own_partition_in_another_case_is_skipped()
    {
        // A gateway in partition "Foo" given dc1/foo: names compare case-insensitively, so that key is the gateway's
        // own, and an unknown service of its own partition must close rather than go to the "remote" gateways.
        var table = new MeshGatewayRouteBuilder("dc1", "Foo", Td)
            .AddLocalService("api")
            .AddRemoteGateway("dc1", "foo")
            .AddRemoteGateway("dc2", "FOO")
            .Build();

        Assert.False(table.TryLookup("unknown.default.foo.dc1.internal-v1." + Td, out _, out _));
        Assert.False(table.TryLookup("unknown.default.Foo.dc1.internal-v1." + Td, out _, out _));
        Assert.True(table.TryLookup("api.default.foo.dc1.internal-v1." + Td, out MeshGatewayRoute? local, out SniMatchKind kind));
        Assert.Equal((MeshGatewayRouteKind.LocalService, SniMatchKind.Exact), (local.Kind, kind));
        Assert.True(table.TryLookup("web.default.foo.dc2.internal-v1." + Td, out MeshGatewayRoute? remote, out _));
        Assert.Equal("dc2", remote.Datacenter);
        Assert.DoesNotContain(table.WildcardPatterns, p => p.Contains(".dc1.", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Web!", "service \"Web!\" has the character '!' at index 3")]
    [InlineData("web server", "service \"web server\" has the character U+0020 at index 3")]
    [InlineData("caf\u00e9", "service \"caf\\xE9\" has the character U+00E9 at index 3")]
    [InlineData("a\nb", "service \"a\\x0Ab\" has the character U+000A at index 1")]
    public void Service_names_outside_the_sni_label_characters_are_rejected_with_the_character(string service, string expected)
    {
        var builder = new MeshGatewayRouteBuilder("dc1", null, Td).AddLocalService(service);

        Assert.False(builder.TryBuild(out _, out IReadOnlyList<string> errors));
        string error = Assert.Single(errors);
        Assert.StartsWith(expected, error, StringComparison.Ordinal);
        Assert.EndsWith("[A-Za-z0-9_-])", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not a domain")]
    [InlineData("td.con=sul")]
    public void Trust_domains_outside_the_sni_label_characters_are_rejected(string trustDomain)
    {
        var builder = new MeshGatewayRouteBuilder("dc1", null, trustDomain).AddLocalService("api");

        Assert.False(builder.TryBuild(out _, out IReadOnlyList<string> errors));
        Assert.StartsWith($"trust domain \"{trustDomain}\" has the character", Assert.Single(errors), StringComparison.Ordinal);
    }
}
