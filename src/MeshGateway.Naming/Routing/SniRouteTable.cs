using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;

namespace MeshGateway.Naming;

/// <summary>
/// An immutable table from TLS server names (SNI) to routes, matched the way Envoy matches filter chains'
/// <c>server_names</c>: an exact name first, then the <c>*.suffix</c> rule with the longest suffix (the <c>*</c>
/// stands for one or more whole, non-empty labels), then the catch-all. Names compare ASCII case-insensitively and
/// one final dot is ignored. Built once by <see cref="SniRouteTableBuilder{TRoute}"/>; lookups never allocate and
/// are safe from any number of threads.
/// </summary>
/// <typeparam name="TRoute">What a name routes to.</typeparam>
public sealed class SniRouteTable<TRoute>
{
    private readonly FrozenDictionary<string, TRoute> _exact;
    private readonly FrozenDictionary<string, TRoute>.AlternateLookup<ReadOnlySpan<char>> _exactLookup;
    private readonly FrozenDictionary<string, TRoute> _wildcards;
    private readonly FrozenDictionary<string, TRoute>.AlternateLookup<ReadOnlySpan<char>> _wildcardLookup;
    private readonly LengthSet _exactLengths;
    private readonly LengthSet _suffixLengths;
    private readonly bool _hasCatchAll;
    private readonly TRoute? _catchAll;

    internal SniRouteTable(Dictionary<string, TRoute> exact, Dictionary<string, TRoute> wildcardSuffixes, bool hasCatchAll, TRoute? catchAll)
    {
        _exact = exact.ToFrozenDictionary(StringComparer.Ordinal);
        _exactLookup = _exact.GetAlternateLookup<ReadOnlySpan<char>>();
        _wildcards = wildcardSuffixes.ToFrozenDictionary(StringComparer.Ordinal);
        _wildcardLookup = _wildcards.GetAlternateLookup<ReadOnlySpan<char>>();
        foreach (string name in exact.Keys)
        {
            _exactLengths.Add(name.Length);
        }

        foreach (string suffix in wildcardSuffixes.Keys)
        {
            _suffixLengths.Add(suffix.Length);
        }

        _hasCatchAll = hasCatchAll;
        _catchAll = catchAll;
    }

    /// <summary>The number of rules: exact names, wildcard suffixes, and the catch-all when set.</summary>
    public int Count => _exact.Count + _wildcards.Count + (_hasCatchAll ? 1 : 0);

    /// <summary>The exact server names, in canonical form (lower-case, no final dot).</summary>
    public IEnumerable<string> ExactNames => _exact.Keys;

    /// <summary>The wildcard rules, as <c>*.suffix</c> in canonical form.</summary>
    public IEnumerable<string> WildcardPatterns => _wildcards.Keys.Select(static suffix => "*." + suffix);

    /// <summary>Whether the table has a catch-all rule.</summary>
    public bool HasCatchAll => _hasCatchAll;

    /// <summary>Finds the route for <paramref name="serverName"/> without allocating.</summary>
    /// <param name="serverName">The SNI host name; empty when the client sent none (only the catch-all matches).</param>
    /// <param name="route">The matched route, or <see langword="default"/>.</param>
    /// <param name="kind">Which rule matched, or <see cref="SniMatchKind.None"/>.</param>
    /// <returns><see langword="true"/> when a rule matched.</returns>
    public bool TryLookup(ReadOnlySpan<char> serverName, [MaybeNullWhen(false)] out TRoute route, out SniMatchKind kind)
    {
        Span<char> buffer = stackalloc char[ServerNames.MaxLength];
        int length = ServerNames.Normalize(serverName, buffer);
        if (length > 0)
        {
            ReadOnlySpan<char> name = buffer[..length];
            if (_exactLengths.Contains(length) && _exactLookup.TryGetValue(name, out route))
            {
                kind = SniMatchKind.Exact;
                return true;
            }

            // Leftmost dot first: the longest suffix that leaves at least one whole label for the '*'.
            // The name has no empty label, so every prefix is one or more non-empty labels.
            int dot = name.IndexOf('.');
            while (dot > 0)
            {
                ReadOnlySpan<char> suffix = name[(dot + 1)..];
                if (_suffixLengths.Contains(suffix.Length) && _wildcardLookup.TryGetValue(suffix, out route))
                {
                    kind = SniMatchKind.WildcardSuffix;
                    return true;
                }

                int next = suffix.IndexOf('.');
                dot = next < 0 ? -1 : dot + 1 + next;
            }
        }

        if (_hasCatchAll)
        {
            route = _catchAll!;
            kind = SniMatchKind.CatchAll;
            return true;
        }

        route = default;
        kind = SniMatchKind.None;
        return false;
    }

    /// <summary>Finds the route for <paramref name="serverName"/> without allocating.</summary>
    /// <param name="serverName">The SNI host name.</param>
    /// <param name="route">The matched route, or <see langword="default"/>.</param>
    /// <returns><see langword="true"/> when a rule matched.</returns>
    public bool TryLookup(ReadOnlySpan<char> serverName, [MaybeNullWhen(false)] out TRoute route) =>
        TryLookup(serverName, out route, out _);
}
