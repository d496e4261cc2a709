using System.Globalization;

namespace MeshGateway.Naming;

/// <summary>
/// The one place that reads an SNI route pattern: an exact server name, <c>*.suffix</c> (the <c>*</c> is the whole
/// leftmost label) or <c>*</c> (the catch-all). <see cref="SniRouteTableBuilder{TRoute}.Add"/> dispatches on
/// <see cref="GetKind"/>; options validators call <see cref="Validate"/> to report a bad pattern before a table is built.
/// </summary>
public static class SniPattern
{
    /// <summary>The catch-all pattern.</summary>
    public const string CatchAll = "*";

    /// <summary>Which kind of rule <paramref name="pattern"/> is (never <see cref="SniMatchKind.None"/>).</summary>
    /// <param name="pattern">The pattern.</param>
    /// <returns><see cref="SniMatchKind.CatchAll"/> for <c>*</c>, <see cref="SniMatchKind.WildcardSuffix"/> for <c>*.…</c>, otherwise <see cref="SniMatchKind.Exact"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="pattern"/> is null.</exception>
    public static SniMatchKind GetKind(string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        return pattern == CatchAll ? SniMatchKind.CatchAll
            : pattern.StartsWith("*.", StringComparison.Ordinal) ? SniMatchKind.WildcardSuffix
            : SniMatchKind.Exact;
    }

    /// <summary>Checks a pattern the way <see cref="SniRouteTableBuilder{TRoute}"/> does when it builds.</summary>
    /// <param name="pattern">The pattern.</param>
    /// <returns><see langword="null"/> when valid; otherwise one sentence saying what is wrong (without the pattern itself).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="pattern"/> is null.</exception>
    public static string? Validate(string pattern)
    {
        string? error = null;
        switch (GetKind(pattern))
        {
            case SniMatchKind.WildcardSuffix:
                _ = CanonicalSuffix(pattern, out error);
                break;
            case SniMatchKind.Exact:
                _ = ServerNames.Canonicalize(pattern, out error);
                break;
        }

        return error;
    }

    /// <summary>The canonical suffix of a <c>*.suffix</c> pattern, or <see langword="null"/> and why not.</summary>
    internal static string? CanonicalSuffix(string pattern, out string? error)
    {
        if (pattern == CatchAll)
        {
            error = "is a bare \"*\"; use SetCatchAll for a catch-all";
            return null;
        }

        if (!pattern.StartsWith("*.", StringComparison.Ordinal))
        {
            error = "must start with \"*.\" (the '*' is the whole leftmost label)";
            return null;
        }

        string? suffix = ServerNames.Canonicalize(pattern[2..], out string? suffixError);
        if (suffix is null)
        {
            error = "has a suffix that " + suffixError;
            return null;
        }

        if (suffix.Length + 2 > ServerNames.MaxLength)
        {
            error = string.Create(
                CultureInfo.InvariantCulture, $"is longer than {ServerNames.MaxLength} characters, so no name can match it");
            return null;
        }

        error = null;
        return suffix;
    }
}
