using FsCheck.Xunit;

namespace MeshGateway.Naming.Tests.Routing;

[Properties(Arbitrary = [typeof(NamingArbitraries)], MaxTest = 500)]
public class SniRouteTablePropertyTests
{
    /// <summary>
    /// The rules in their plainest form: lower-case, drop one final dot; exact name; else the longest suffix s with
    /// name = prefix + "." + s and a prefix of non-empty labels; else the catch-all.
    /// </summary>
    private static (bool Found, int Route, SniMatchKind Kind) Reference(RouteScenario scenario, string query)
    {
        string name = query.EndsWith('.') ? query[..^1] : query;
        name = name.ToLowerInvariant();
        bool wellFormed = name.Length > 0 && name.Split('.').All(label => label.Length > 0);
        if (wellFormed)
        {
            int exact = Array.IndexOf(scenario.Exact, name);
            if (exact >= 0)
            {
                return (true, exact, SniMatchKind.Exact);
            }

            int best = -1;
            for (int i = 0; i < scenario.WildcardSuffixes.Length; i++)
            {
                string suffix = scenario.WildcardSuffixes[i];
                if (name.EndsWith("." + suffix, StringComparison.Ordinal) && name.Length > suffix.Length + 1
                    && (best < 0 || suffix.Length > scenario.WildcardSuffixes[best].Length))
                {
                    best = i;
                }
            }

            if (best >= 0)
            {
                return (true, 100 + best, SniMatchKind.WildcardSuffix);
            }
        }

        return scenario.CatchAll ? (true, 999, SniMatchKind.CatchAll) : (false, 0, SniMatchKind.None);
    }

    [Property]
    public bool Lookup_equals_a_naive_reference_matcher(RouteScenario scenario)
    {
        SniRouteTable<int> table = scenario.Build();
        foreach (string query in scenario.Queries.Concat(scenario.Exact).Concat(scenario.WildcardSuffixes))
        {
            bool found = table.TryLookup(query, out int route, out SniMatchKind kind);
            if ((found, route, kind) != Reference(scenario, query))
            {
                return false;
            }
        }

        return true;
    }

    [Property]
    public bool Lookup_ignores_ascii_case_and_one_final_dot(RouteScenario scenario, bool upper, bool dot)
    {
        SniRouteTable<int> table = scenario.Build();
        foreach (string query in scenario.Queries)
        {
            if (query.EndsWith('.'))
            {
                continue; // a second final dot is an empty label
            }

            string variant = (upper ? query.ToUpperInvariant() : query.ToLowerInvariant()) + (dot ? "." : "");
            bool a = table.TryLookup(query, out int routeA, out SniMatchKind kindA);
            bool b = table.TryLookup(variant, out int routeB, out SniMatchKind kindB);
            if ((a, routeA, kindA) != (b, routeB, kindB))
            {
                return false;
            }
        }

        return true;
    }

    [Property]
    public bool Every_exact_rule_and_every_name_under_a_wildcard_is_found(RouteScenario scenario)
    {
        SniRouteTable<int> table = scenario.Build();
        return scenario.Exact.All(name => table.TryLookup(name, out _, out SniMatchKind kind) && kind == SniMatchKind.Exact)
            && scenario.WildcardSuffixes.All(suffix =>
                table.TryLookup("zz." + suffix, out _, out SniMatchKind kind) && kind is SniMatchKind.WildcardSuffix or SniMatchKind.Exact);
    }

    [Property]
    public bool Count_is_the_number_of_rules(RouteScenario scenario) =>
        scenario.Build().Count == scenario.Exact.Length + scenario.WildcardSuffixes.Length + (scenario.CatchAll ? 1 : 0);

    [Property]
    public bool Lookup_of_the_ascii_bytes_equals_lookup_of_the_characters(RouteScenario scenario)
    {
        SniRouteTable<int> table = scenario.Build();
        foreach (string query in scenario.Queries)
        {
            bool a = table.TryLookup(query, out int routeA, out SniMatchKind kindA);
            bool b = table.TryLookup(System.Text.Encoding.ASCII.GetBytes(query), out int routeB, out SniMatchKind kindB);
            if ((a, routeA, kindA) != (b, routeB, kindB))
            {
                return false;
            }
        }

        return true;
    }
}
