using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace MeshGateway.Naming;

/// <summary>
/// An immutable table from TLS server names (SNI) to routes, matched the way Envoy matches filter chains'
/// <c>server_names</c>: an exact name first, then the <c>*.suffix</c> rule with the longest suffix (the <c>*</c>
/// stands for one or more whole, non-empty labels), then the catch-all. Names compare ASCII case-insensitively and
/// one final dot is ignored. Rules are made of <c>[A-Za-z0-9_-]</c> labels, and a wildcard matches only a name whose
/// labels are all <c>[A-Za-z0-9_-]</c>: a name with any other byte (a control byte, a space, <c>=</c>, non-ASCII) can
/// reach no rule but the catch-all. Built once by <see cref="SniRouteTableBuilder{TRoute}"/>; lookups never allocate and
/// are safe from any number of threads.
/// </summary>
/// <typeparam name="TRoute">What a name routes to.</typeparam>
public sealed class SniRouteTable<TRoute>
{
    // Rules are stored without the suffix all of them share (in a mesh gateway, ".internal.<trust domain>" and
    // more), so a lookup compares that suffix once and hashes only the short part that tells rules apart.
    private readonly string[] _exactNames;
    private readonly string _exactCommonSuffix;
    private readonly SpanKeyTable<TRoute> _exact;
    private readonly string[] _wildcardSuffixes;
    private readonly string _wildcardCommonSuffix;
    private readonly SpanKeyTable<TRoute> _wildcards;
    private readonly LengthSet _exactLengths;
    private readonly LengthSet _wildcardLengths;
    private readonly bool _hasCatchAll;
    private readonly TRoute? _catchAll;

    internal SniRouteTable(Dictionary<string, TRoute> exact, Dictionary<string, TRoute> wildcardSuffixes, bool hasCatchAll, TRoute? catchAll)
    {
        _exactNames = [.. exact.Keys];
        _exactCommonSuffix = CommonSuffix(_exactNames);
        _exact = Trim(exact, _exactCommonSuffix, ref _exactLengths);
        _wildcardSuffixes = [.. wildcardSuffixes.Keys];
        _wildcardCommonSuffix = CommonSuffix(_wildcardSuffixes);
        _wildcards = Trim(wildcardSuffixes, _wildcardCommonSuffix, ref _wildcardLengths);
        _hasCatchAll = hasCatchAll;
        _catchAll = catchAll;
    }

    /// <summary>The number of rules: exact names, wildcard suffixes, and the catch-all when set.</summary>
    public int Count => _exactNames.Length + _wildcardSuffixes.Length + (_hasCatchAll ? 1 : 0);

    /// <summary>The exact server names, in canonical form (lower-case, no final dot).</summary>
    public IEnumerable<string> ExactNames => Array.AsReadOnly(_exactNames);

    /// <summary>The wildcard rules, as <c>*.suffix</c> in canonical form.</summary>
    public IEnumerable<string> WildcardPatterns => Array.ConvertAll(_wildcardSuffixes, static suffix => "*." + suffix).AsReadOnly();

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
        return Match(buffer[..Math.Max(length, 0)], dots[..dotCount], out route, out kind);
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
        Span<char> buffer = stackalloc char[ServerNames.MaxLength];
        Span<byte> dots = stackalloc byte[ServerNames.MaxDots];
        int length = ServerNames.Normalize(serverName, buffer, dots, out int dotCount);
        return Match(buffer[..Math.Max(length, 0)], dots[..dotCount], out route, out kind);
    }

    /// <summary>Matches a canonical name (empty when no exact or wildcard rule can match) whose dots are at <paramref name="dots"/>.</summary>
    private bool Match(ReadOnlySpan<char> name, ReadOnlySpan<byte> dots, [MaybeNullWhen(false)] out TRoute route, out SniMatchKind kind)
    {
        if (!name.IsEmpty)
        {

            // Exact: rules have no empty label, so a malformed name simply finds nothing.
            if (name.EndsWith(_exactCommonSuffix))
            {
                ReadOnlySpan<char> key = name[..^_exactCommonSuffix.Length];
                if (_exactLengths.Contains(key.Length) && _exact.TryGetValue(key, out route))
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
                for (int d = 0; d < dots.Length; d++)
                {
                    int dot = dots[d];
                    if (dot == previous + 1 || dot >= keyEnd)
                    {
                        break;
                    }

                    previous = dot;
                    ReadOnlySpan<char> key = name[(dot + 1)..keyEnd];
                    if (_wildcardLengths.Contains(key.Length) && _wildcards.TryGetValue(key, out route))
                    {
                        // The suffix equals a rule's, whose labels are [a-z0-9_-]; the labels the '*' covers must be
                        // too, or a client could route a name holding a line feed, a space or '=' (a forged log line
                        // or field) to a remote datacenter. Every shorter suffix would cover these same labels, so
                        // no other wildcard can match either.
                        if (!ServerNames.IsRoutable(name[..dot]))
                        {
                            break;
                        }

                        kind = SniMatchKind.WildcardSuffix;
                        return true;
                    }
                }
            }
        }

        return CatchAll(out route, out kind);
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

    private static SpanKeyTable<TRoute> Trim(Dictionary<string, TRoute> rules, string commonSuffix, ref LengthSet lengths)
    {
        var trimmed = new Dictionary<string, TRoute>(rules.Count, StringComparer.Ordinal);
        foreach (KeyValuePair<string, TRoute> rule in rules)
        {
            string key = rule.Key[..^commonSuffix.Length];
            trimmed.Add(key, rule.Value);
            lengths.Add(key.Length);
        }

        return new SpanKeyTable<TRoute>(trimmed);
    }
}
