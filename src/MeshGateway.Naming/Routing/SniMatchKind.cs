namespace MeshGateway.Naming;

/// <summary>Which rule of an <see cref="SniRouteTable{TRoute}"/> matched a server name.</summary>
public enum SniMatchKind
{
    /// <summary>No rule matched.</summary>
    None = 0,

    /// <summary>An exact server name matched (ASCII case-insensitive, final dot ignored).</summary>
    Exact = 1,

    /// <summary>A <c>*.suffix</c> rule matched: the name is one or more whole labels followed by <c>.suffix</c>; the longest suffix wins.</summary>
    WildcardSuffix = 2,

    /// <summary>Nothing more specific matched and the table has a catch-all.</summary>
    CatchAll = 3,
}
