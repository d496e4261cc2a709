using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Text;

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
    // Rules are stored without the suffix all of them share (in a mesh gateway, ".internal.<trust domain>" and
    // more), so a lookup compares that suffix once and hashes only the short part that tells rules apart.
    private readonly string[] _exactNames;
    private readonly string _exactCommonSuffix;
    private readonly FrozenDictionary<string, TRoute> _exact;
    private readonly FrozenDictionary<string, TRoute>.AlternateLookup<ReadOnlySpan<char>> _exactLookup;
    private readonly string[] _wildcardSuffixes;
    private readonly string _wildcardCommonSuffix;
    private readonly FrozenDictionary<string, TRoute> _wildcards;
    private readonly FrozenDictionary<string, TRoute>.AlternateLookup<ReadOnlySpan<char>> _wildcardLookup;
    private readonly LengthSet _exactLengths;
    private readonly LengthSet _wildcardLengths;
    private readonly bool _hasCatchAll;
    private readonly TRoute? _catchAll;

    internal SniRouteTable(Dictionary<string, TRoute> exact, Dictionary<string, TRoute> wildcardSuffixes, bool hasCatchAll, TRoute? catchAll)
    {
        _exactNames = [.. exact.Keys];
        _exactCommonSuffix = CommonSuffix(_exactNames);
        _exact = Trim(exact, _exactCommonSuffix, ref _exactLengths);
        _exactLookup = _exact.GetAlternateLookup<ReadOnlySpan<char>>();
        _wildcardSuffixes = [.. wildcardSuffixes.Keys];
        _wildcardCommonSuffix = CommonSuffix(_wildcardSuffixes);
        _wildcards = Trim(wildcardSuffixes, _wildcardCommonSuffix, ref _wildcardLengths);
        _wildcardLookup = _wildcards.GetAlternateLookup<ReadOnlySpan<char>>();
        _hasCatchAll = hasCatchAll;
        _catchAll = catchAll;
    }

    /// <summary>The number of rules: exact names, wildcard suffixes, and the catch-all when set.</summary>
    public int Count => _exactNames.Length + _wildcardSuffixes.Length + (_hasCatchAll ? 1 : 0);

    /// <summary>The exact server names, in canonical form (lower-case, no final dot).</summary>
    public IEnumerable<string> ExactNames => _exactNames;

    /// <summary>The wildcard rules, as <c>*.suffix</c> in canonical form.</summary>
    public IEnumerable<string> WildcardPatterns => _wildcardSuffixes.Select(static suffix => "*." + suffix);

    /// <summary>Whether the table has a catch-all rule.</summary>
    public bool HasCatchAll => _hasCatchAll;

    /// <summary>Finds the route for <paramref name="serverName"/> without allocating.</summary>
    /// <param name="serverName">The SNI host name; empty when the client sent none (only the catch-all matches).</param>
    /// <param name="route">The matched route, or <see langword="default"/>.</param>
    /// <param name="kind">Which rule matched, or <see cref="SniMatchKind.None"/>.</param>
    /// <returns><see langword="true"/> when a rule matched.</returns>
    [SkipLocalsInit]
    public bool TryLookup(ReadOnlySpan<char> serverName, [MaybeNullWhen(false)] out TRoute route, out SniMatchKind kind)
    {
        Span<char> buffer = stackalloc char[ServerNames.MaxLength];
        Span<byte> dots = stackalloc byte[ServerNames.MaxDots];
        int length = ServerNames.Normalize(serverName, buffer, dots, out int dotCount);
        if (length > 0)
        {
            ReadOnlySpan<char> name = buffer[..length];

            // Exact: rules have no empty label, so a malformed name simply finds nothing.
            if (name.EndsWith(_exactCommonSuffix))
            {
                ReadOnlySpan<char> key = name[..^_exactCommonSuffix.Length];
                if (_exactLengths.Contains(key.Length) && _exactLookup.TryGetValue(key, out route))
                {
                    kind = SniMatchKind.Exact;
                    return true;
                }
            }

            // Wildcards: try the suffix after each dot, leftmost first, so the longest suffix wins; what precedes
            // the dot is what the '*' covers, one or more whole labels. Once an empty label is seen, every later
            // candidate would cover it too, so the search stops.
            if (_wildcardSuffixes.Length > 0 && name.EndsWith(_wildcardCommonSuffix))
            {
                int keyEnd = name.Length - _wildcardCommonSuffix.Length;
                int previous = -1;
                for (int d = 0; d < dotCount; d++)
                {
                    int dot = dots[d];
                    if (dot == previous + 1 || dot >= keyEnd)
                    {
                        break;
                    }

                    previous = dot;
                    ReadOnlySpan<char> key = name[(dot + 1)..keyEnd];
                    if (_wildcardLengths.Contains(key.Length) && _wildcardLookup.TryGetValue(key, out route))
                    {
                        kind = SniMatchKind.WildcardSuffix;
                        return true;
                    }
                }
            }
        }

        return CatchAll(out route, out kind);
    }

    /// <summary>
    /// Finds the route for a server name as the ClientHello carries it (RFC 6066 §3: <c>HostName</c> is ASCII bytes),
    /// without allocating. Each byte stands for one character, so a non-ASCII byte never equals a rule's character.
    /// </summary>
    /// <param name="serverName">The SNI host name bytes; empty when the client sent none (only the catch-all matches).</param>
    /// <param name="route">The matched route, or <see langword="default"/>.</param>
    /// <param name="kind">Which rule matched, or <see cref="SniMatchKind.None"/>.</param>
    /// <returns><see langword="true"/> when a rule matched.</returns>
    [SkipLocalsInit]
    public bool TryLookup(ReadOnlySpan<byte> serverName, [MaybeNullWhen(false)] out TRoute route, out SniMatchKind kind)
    {
        // Longer than a name plus its final dot: no exact or wildcard rule can match.
        if (serverName.Length > ServerNames.MaxLength + 1)
        {
            return CatchAll(out route, out kind);
        }

        Span<char> chars = stackalloc char[ServerNames.MaxLength + 1];
        int length = Encoding.Latin1.GetChars(serverName, chars);
        return TryLookup(chars[..length], out route, out kind);
    }

    private bool CatchAll([MaybeNullWhen(false)] out TRoute route, out SniMatchKind kind)
    {
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

    /// <summary>The longest ordinal suffix every key shares (empty when there are no keys).</summary>
    private static string CommonSuffix(string[] keys)
    {
        if (keys.Length == 0)
        {
            return string.Empty;
        }

        ReadOnlySpan<char> suffix = keys[0];
        foreach (string key in keys)
        {
            int common = 0;
            int max = Math.Min(suffix.Length, key.Length);
            while (common < max && suffix[^(common + 1)] == key[^(common + 1)])
            {
                common++;
            }

            suffix = suffix[^common..];
        }

        return suffix.ToString();
    }

    private static FrozenDictionary<string, TRoute> Trim(Dictionary<string, TRoute> rules, string commonSuffix, ref LengthSet lengths)
    {
        var trimmed = new Dictionary<string, TRoute>(rules.Count, StringComparer.Ordinal);
        foreach (KeyValuePair<string, TRoute> rule in rules)
        {
            string key = rule.Key[..^commonSuffix.Length];
            trimmed.Add(key, rule.Value);
            lengths.Add(key.Length);
        }

        return trimmed.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
