namespace MeshGateway.Naming.Tests;

/// <summary>The hot paths allocate nothing: formatting, parsing into a span view, and route lookup.</summary>
public class AllocationTests
{
    private const string Td = "11111111-2222-3333-4444-555555555555.consul";
    private const int Iterations = 1_000;

    private static long AllocatedBy(Action action)
    {
        for (int i = 0; i < 100; i++)
        {
            action(); // warm up: JIT and tiering
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < Iterations; i++)
        {
            action();
        }

        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    [Fact]
    public void TryFormat_allocates_nothing()
    {
        var service = ConsulSniName.ForService("api", "v1", "ns1", "part1", "dc1", Td);
        var gateway = ConsulSniName.ForGateway("dc2", null, Td);
        var query = ConsulSniName.ForPreparedQuery("geo", "dc1", Td);
        var peered = ConsulSniName.ForPeeredService("api", null, null, "cloud", Td);
        char[] buffer = new char[256];
        int total = 0;

        long allocated = AllocatedBy(() =>
        {
            service.TryFormat(buffer, out int a);
            gateway.TryFormat(buffer, out int b);
            query.TryFormat(buffer, out int c);
            peered.TryFormat(buffer, out int d);
            total += a + b + c + d;
        });

        Assert.Equal(0, allocated);
        Assert.True(total > 0);
    }

    [Fact]
    public void Parsing_into_a_span_view_allocates_nothing()
    {
        const string withSubset = "v1.api.ns1.part1.dc1.internal-v1." + Td;
        const string gateway = "dc2.internal." + Td;
        const string bad = "www.example.com";
        int valid = 0;

        long allocated = AllocatedBy(() =>
        {
            valid += ConsulSniParser.TryParse(withSubset, Td, out ConsulSniView a) && a.Kind == ConsulSniKind.Service ? 1 : 0;
            valid += ConsulSniParser.TryParse(withSubset, default, out ConsulSniView b) && b.Subset.Length == 2 ? 1 : 0;
            valid += ConsulSniParser.TryParse(gateway, default, out _) ? 1 : 0;
            valid += ConsulSniParser.Parse(bad, default, out _) == ConsulSniStatus.MissingMarker ? 1 : 0;
        });

        Assert.Equal(0, allocated);
        Assert.Equal(4 * (Iterations + 100), valid);
    }

    [Fact]
    public void Route_lookup_allocates_nothing_for_any_kind_of_match()
    {
        SniRouteTable<MeshGatewayRoute> table = new MeshGatewayRouteBuilder("dc1", null, Td)
            .AddLocalService("api", subsets: ["v1"])
            .AddRemoteGateway("dc2")
            .Build();
        SniRouteTable<string> withCatchAll = new SniRouteTableBuilder<string>().AddExact("a.b", "x").SetCatchAll("all").Build();
        const string exact = "V1.API.default.dc1.internal." + Td + ".";
        const string wildcard = "web.default.dc2.internal." + Td;
        const string miss = "web.default.dc9.internal." + Td;
        const string nonAscii = "caf\u00e9.default.dc2.internal." + Td;
        int found = 0;

        long allocated = AllocatedBy(() =>
        {
            found += table.TryLookup(exact, out _, out SniMatchKind k1) && k1 == SniMatchKind.Exact ? 1 : 0;
            found += table.TryLookup(wildcard, out _, out SniMatchKind k2) && k2 == SniMatchKind.WildcardSuffix ? 1 : 0;
            found += table.TryLookup(miss, out _, out _) ? 0 : 1;
            found += table.TryLookup(nonAscii, out _, out _) ? 0 : 1; // a wildcard covers [A-Za-z0-9_-] labels only
            found += withCatchAll.TryLookup("c.d", out _, out SniMatchKind k3) && k3 == SniMatchKind.CatchAll ? 1 : 0;
            found += table.TryLookup("web.default.dc2.internal.11111111-2222-3333-4444-555555555555.consul"u8, out _, out SniMatchKind k4)
                && k4 == SniMatchKind.WildcardSuffix ? 1 : 0;
        });

        Assert.Equal(0, allocated);
        Assert.Equal(6 * (Iterations + 100), found);
    }
}
