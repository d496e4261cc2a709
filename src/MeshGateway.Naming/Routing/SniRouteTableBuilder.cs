using System.Globalization;

namespace MeshGateway.Naming;

/// <summary>
/// Collects the rules of an <see cref="SniRouteTable{TRoute}"/>. Nothing is checked until
/// <see cref="Build"/>/<see cref="TryBuild"/>, which validate every rule and report every problem at once:
/// malformed names, a <c>*</c> anywhere but as the whole leftmost label, duplicate names or suffixes (after
/// lower-casing and removing a final dot), and a second catch-all.
/// </summary>
/// <typeparam name="TRoute">What a name routes to.</typeparam>
public sealed class SniRouteTableBuilder<TRoute>
{
    private readonly List<Rule> _rules = [];

    /// <summary>The number of rules added so far.</summary>
    public int Count => _rules.Count;

    /// <summary>
    /// Adds a rule written as a pattern: <c>*</c> sets the catch-all, <c>*.suffix</c> adds a wildcard, anything else
    /// an exact name (see <see cref="SniPattern"/>). Configuration files use this form.
    /// </summary>
    /// <param name="pattern">The pattern.</param>
    /// <param name="route">Where matching names route.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="pattern"/> or <paramref name="route"/> is null.</exception>
    public SniRouteTableBuilder<TRoute> Add(string pattern, TRoute route) => SniPattern.GetKind(pattern) switch
    {
        SniMatchKind.CatchAll => SetCatchAll(route),
        SniMatchKind.WildcardSuffix => AddWildcard(pattern, route),
        _ => AddExact(pattern, route),
    };

    /// <summary>Adds an exact server name, for example <c>api.default.dc1.internal.td</c>.</summary>
    /// <param name="serverName">The name; compared ASCII case-insensitively, a final dot ignored.</param>
    /// <param name="route">Where the name routes.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="serverName"/> or <paramref name="route"/> is null.</exception>
    public SniRouteTableBuilder<TRoute> AddExact(string serverName, TRoute route)
    {
        ArgumentNullException.ThrowIfNull(serverName);
        ArgumentNullException.ThrowIfNull(route);
        _rules.Add(new Rule(SniMatchKind.Exact, serverName, route));
        return this;
    }

    /// <summary>
    /// Adds a wildcard rule <c>*.suffix</c>: it matches a name made of one or more whole labels followed by
    /// <c>.suffix</c> (not <c>suffix</c> itself). When several match, the longest suffix wins.
    /// </summary>
    /// <param name="pattern">The pattern, for example <c>*.dc2.internal.td</c>.</param>
    /// <param name="route">Where matching names route.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="pattern"/> or <paramref name="route"/> is null.</exception>
    public SniRouteTableBuilder<TRoute> AddWildcard(string pattern, TRoute route)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        ArgumentNullException.ThrowIfNull(route);
        _rules.Add(new Rule(SniMatchKind.WildcardSuffix, pattern, route));
        return this;
    }

    /// <summary>Sets the route for names no other rule matches, including an empty name (no SNI).</summary>
    /// <param name="route">The catch-all route.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="route"/> is null.</exception>
    public SniRouteTableBuilder<TRoute> SetCatchAll(TRoute route)
    {
        ArgumentNullException.ThrowIfNull(route);
        _rules.Add(new Rule(SniMatchKind.CatchAll, string.Empty, route));
        return this;
    }

    /// <summary>Validates every rule and builds the table.</summary>
    /// <returns>The immutable table.</returns>
    /// <exception cref="SniRouteTableException">Any rule is invalid; <see cref="SniRouteTableException.Errors"/> lists them all.</exception>
    public SniRouteTable<TRoute> Build() =>
        TryBuild(out SniRouteTable<TRoute>? table, out IReadOnlyList<string> errors) ? table! : throw new SniRouteTableException(errors);

    /// <summary>Validates every rule and builds the table, or reports every problem.</summary>
    /// <param name="table">The table, or <see langword="null"/> when there are errors.</param>
    /// <param name="errors">Every problem found, one sentence each; empty on success.</param>
    /// <returns><see langword="true"/> when the table was built.</returns>
    public bool TryBuild(out SniRouteTable<TRoute>? table, out IReadOnlyList<string> errors)
    {
        var problems = new List<string>();
        var exact = new Dictionary<string, TRoute>(StringComparer.Ordinal);
        var exactIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        var suffixes = new Dictionary<string, TRoute>(StringComparer.Ordinal);
        var suffixIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        int catchAllIndex = -1;
        TRoute? catchAll = default;

        for (int i = 0; i < _rules.Count; i++)
        {
            Rule rule = _rules[i];
            switch (rule.Kind)
            {
                case SniMatchKind.Exact:
                {
                    string? name = ServerNames.Canonicalize(rule.Pattern, out string? error);
                    if (name is null)
                    {
                        problems.Add(Describe(i, rule, error!));
                    }
                    else if (exactIndex.TryGetValue(name, out int first))
                    {
                        problems.Add(Describe(i, rule, Duplicate(name, first)));
                    }
                    else
                    {
                        exact.Add(name, rule.Route);
                        exactIndex.Add(name, i);
                    }

                    break;
                }

                case SniMatchKind.WildcardSuffix:
                {
                    string? suffix = SniPattern.CanonicalSuffix(rule.Pattern, out string? error);
                    if (suffix is null)
                    {
                        problems.Add(Describe(i, rule, error!));
                    }
                    else if (suffixIndex.TryGetValue(suffix, out int first))
                    {
                        problems.Add(Describe(i, rule, Duplicate("*." + suffix, first)));
                    }
                    else
                    {
                        suffixes.Add(suffix, rule.Route);
                        suffixIndex.Add(suffix, i);
                    }

                    break;
                }

                default:
                    if (catchAllIndex >= 0)
                    {
                        problems.Add(Describe(i, rule, string.Create(
                            CultureInfo.InvariantCulture, $"a catch-all is already set by rule {catchAllIndex}")));
                    }
                    else
                    {
                        catchAllIndex = i;
                        catchAll = rule.Route;
                    }

                    break;
            }
        }

        errors = problems;
        table = problems.Count == 0 ? new SniRouteTable<TRoute>(exact, suffixes, catchAllIndex >= 0, catchAll) : null;
        return table is not null;
    }

    private static string Duplicate(string canonical, int first) =>
        string.Create(CultureInfo.InvariantCulture, $"duplicates \"{canonical}\" of rule {first}");

    private static string Describe(int index, Rule rule, string problem)
    {
        string what = rule.Kind switch
        {
            SniMatchKind.Exact => "exact",
            SniMatchKind.WildcardSuffix => "wildcard",
            _ => "catch-all",
        };
        return rule.Kind == SniMatchKind.CatchAll
            ? string.Create(CultureInfo.InvariantCulture, $"rule {index} ({what}): {problem}")
            : string.Create(CultureInfo.InvariantCulture, $"rule {index} ({what} \"{rule.Pattern}\"): {problem}");
    }

    private readonly record struct Rule(SniMatchKind Kind, string Pattern, TRoute Route);
}
