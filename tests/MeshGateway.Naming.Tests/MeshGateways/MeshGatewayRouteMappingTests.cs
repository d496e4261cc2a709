namespace MeshGateway.Naming.Tests.MeshGateways;

/// <summary>The mesh-gateway builder produces a table of the caller's own payload, so a forwarder needs no second table.</summary>
public class MeshGatewayRouteMappingTests
{
    private const string Td = "11111111-2222-3333-4444-555555555555.consul";

    [Fact]
    public void Mapped_table_routes_every_name_to_the_payload_of_its_destination()
    {
        SniRouteTable<string> table = new MeshGatewayRouteBuilder("dc1", null, Td)
            .AddLocalService("api")
            .AddServiceSni($"v2.web.default.dc1.internal.{Td}")
            .AddRemoteGateway("dc2")
            .Build(route => $"{route.Kind}:{route.ClusterName}");

        Assert.True(table.TryLookup($"api.default.dc1.internal.{Td}", out string? api, out _));
        Assert.Equal($"LocalService:api.default.dc1.internal.{Td}", api);
        Assert.True(table.TryLookup($"V2.web.default.dc1.internal.{Td}", out string? web, out _));
        Assert.Equal($"LocalService:v2.web.default.dc1.internal.{Td}", web);
        Assert.True(table.TryLookup($"db.default.dc2.internal.{Td}", out string? remote, out _));
        Assert.Equal($"RemoteGateway:dc2.internal.{Td}", remote);
        Assert.False(table.TryLookup($"db.default.dc1.internal.{Td}", out _, out _));
    }

    [Fact]
    public void Map_runs_once_per_destination_so_a_remote_wildcard_and_its_exact_name_share_one_payload()
    {
        int calls = 0;
        SniRouteTable<object> table = new MeshGatewayRouteBuilder("dc1", null, Td)
            .AddRemoteGateway("dc2")
            .Build(_ => (object)++calls);

        Assert.Equal(1, calls);
        Assert.True(table.TryLookup($"dc2.internal.{Td}", out object? exact, out SniMatchKind exactKind));
        Assert.True(table.TryLookup($"x.default.dc2.internal.{Td}", out object? wild, out SniMatchKind wildKind));
        Assert.Same(exact, wild);
        Assert.Equal((SniMatchKind.Exact, SniMatchKind.WildcardSuffix), (exactKind, wildKind));
    }

    [Fact]
    public void A_service_sni_equal_to_a_local_service_name_is_reported_as_a_duplicate_and_map_never_runs()
    {
        bool mapped = false;
        bool built = new MeshGatewayRouteBuilder("dc1", null, Td)
            .AddLocalService("api")
            .AddServiceSni($"API.default.dc1.internal.{Td}")
            .AddServiceSni("bad..name")
            .TryBuild(route => mapped = true, out SniRouteTable<bool>? table, out IReadOnlyList<string> errors);

        Assert.False(built);
        Assert.Null(table);
        Assert.False(mapped);
        Assert.Equal(2, errors.Count);
        Assert.Contains(errors, e => e.Contains("duplicates", StringComparison.Ordinal));
    }
}
