namespace MeshGateway.Forwarding;

/// <summary>The shape rules of a route's SNI pattern (the matching itself is MeshGateway.Naming's).</summary>
internal static class SniPattern
{
    public const string CatchAll = "*";

    public static bool IsCatchAll(string pattern) => pattern == CatchAll;

    public static bool IsWildcard(string pattern) => pattern.StartsWith("*.", StringComparison.Ordinal);

    /// <summary>True for <c>*</c>, <c>*.suffix</c> with no further <c>*</c>, or a name without <c>*</c>; no empty labels.</summary>
    public static bool IsValid(string pattern)
    {
        if (IsCatchAll(pattern))
        {
            return true;
        }

        string name = IsWildcard(pattern) ? pattern[2..] : pattern;
        if (name.Length == 0 || name.Contains('*', StringComparison.Ordinal))
        {
            return false;
        }

        foreach (string label in name.Split('.'))
        {
            if (label.Length == 0)
            {
                return false;
            }
        }

        return true;
    }
}
