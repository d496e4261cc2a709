using FsCheck;
using FsCheck.Fluent;

namespace MeshGateway.Naming.Tests;

/// <summary>The raw inputs of one builder call, before Consul's defaults are applied.</summary>
public sealed record NameSpec(
    ConsulSniKind Kind, string Service, string? Subset, string? Namespace, string? Partition, string Datacenter, string Peer, string Query, string TrustDomain)
{
    public ConsulSniName Build() => Kind switch
    {
        ConsulSniKind.Service => ConsulSniName.ForService(Service, Subset, Namespace, Partition, Datacenter, TrustDomain),
        ConsulSniKind.Gateway => ConsulSniName.ForGateway(Datacenter, Partition, TrustDomain),
        ConsulSniKind.PreparedQuery => ConsulSniName.ForPreparedQuery(Query, Datacenter, TrustDomain),
        _ => ConsulSniName.ForPeeredService(Service, Namespace, Partition, Peer, TrustDomain),
    };
}

/// <summary>A random route table and names to look up in it, drawn from a small alphabet so that rules overlap often.</summary>
public sealed record RouteScenario(string[] Exact, string[] WildcardSuffixes, bool CatchAll, string[] Queries)
{
    public SniRouteTable<int> Build()
    {
        var builder = new SniRouteTableBuilder<int>();
        for (int i = 0; i < Exact.Length; i++)
        {
            builder.AddExact(Exact[i], i);
        }

        for (int i = 0; i < WildcardSuffixes.Length; i++)
        {
            builder.AddWildcard("*." + WildcardSuffixes[i], 100 + i);
        }

        if (CatchAll)
        {
            builder.SetCatchAll(999);
        }

        return builder.Build();
    }

    public override string ToString() =>
        $"exact [{string.Join(", ", Exact)}], wildcards [{string.Join(", ", WildcardSuffixes.Select(s => "*." + s))}], catch-all {CatchAll}, queries [{string.Join(", ", Queries)}]";
}

public static class NamingArbitraries
{
    private static readonly string[] Markers = ["internal", "internal-v1", "query", "external", "default", "consul"];

    private static Gen<string> LowerLabel =>
        from length in Gen.Choose(1, 12)
        from chars in Gen.ArrayOf(Gen.Elements("abcdefghijklmnopqrstuvwxyz0123456789-_".ToCharArray()), length)
        select new string(chars);

    /// <summary>A part: usually a random label, sometimes upper-case, sometimes a word that is also a marker.</summary>
    private static Gen<string> Part => Gen.Frequency(
        (12, LowerLabel),
        (2, LowerLabel.Select(s => s.ToUpperInvariant())),
        (1, Gen.Elements(Markers)));

    private static Gen<string?> OptionalPart => Gen.Frequency(
        (3, Gen.Constant<string?>(null)),
        (1, Gen.Constant<string?>("")),
        (1, Gen.Constant<string?>("default")),
        (5, Part.Select(s => (string?)s)));

    private static Gen<string> TrustDomain => Gen.Frequency(
        (4, Gen.Constant("11111111-2222-3333-4444-555555555555.consul")),
        (4, from labels in Gen.Choose(1, 3).SelectMany(n => Gen.ArrayOf(Part, n)) select string.Join('.', labels)));

    private static Gen<NameSpec> Specs =>
        from kind in Gen.Elements(ConsulSniKind.Service, ConsulSniKind.Gateway, ConsulSniKind.PreparedQuery, ConsulSniKind.Peered)
        from service in Part
        from subset in OptionalPart
        from ns in OptionalPart
        from partition in OptionalPart
        from dc in LowerLabel
        from peer in Part
        from query in Part
        from td in TrustDomain
        select new NameSpec(kind, service, subset, ns, partition, dc, peer, query, td);

    public static Arbitrary<NameSpec> NameSpecs() => Specs.ToArbitrary();

    private static readonly string[] RouteLabels = ["a", "b", "c", "dc2", "internal", "td"];

    private static Gen<string> RouteName =>
        from n in Gen.Choose(1, 4)
        from labels in Gen.ArrayOf(Gen.Elements(RouteLabels), n)
        select string.Join('.', labels);

    /// <summary>Names to look up: mostly well-formed, sometimes empty, with empty labels, random case or a final dot.</summary>
    private static Gen<string> Query =>
        from n in Gen.Choose(0, 5)
        from labels in Gen.ArrayOf(Gen.Frequency((10, Gen.Elements(RouteLabels)), (1, Gen.Constant("")), (1, Gen.Constant("Dc2"))), n)
        from upper in Gen.Elements(false, false, true)
        from dot in Gen.Elements(false, false, true)
        let name = string.Join('.', labels)
        select (upper ? name.ToUpperInvariant() : name) + (dot ? "." : "");

    public static Arbitrary<RouteScenario> RouteScenarios() =>
        (from exact in Gen.ListOf(RouteName)
         from wild in Gen.ListOf(RouteName)
         from catchAll in Gen.Elements(true, false)
         from queries in Gen.ArrayOf(Gen.Frequency((3, Query), (1, RouteName)), 20)
         select new RouteScenario(
             exact.Distinct(StringComparer.Ordinal).ToArray(),
             wild.Distinct(StringComparer.Ordinal).ToArray(),
             catchAll,
             queries))
        .ToArbitrary();
}
