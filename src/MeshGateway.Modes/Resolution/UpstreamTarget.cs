namespace MeshGateway.Modes;

/// <summary>
/// Where an upstream's target is, relative to the proxy that dials it (Consul <c>agent/proxycfg/upstreams.go</c>). Datacenter and partition
/// names compare ordinally; an empty or null target datacenter means the local one, and an empty or null
/// partition means <c>default</c>.
/// </summary>
/// <param name="LocalDatacenter">The proxy's datacenter.</param>
/// <param name="TargetDatacenter">The target's datacenter; null or empty for the local one.</param>
/// <param name="LocalPartition">The proxy's admin partition; null, empty or <c>default</c> for the default partition.</param>
/// <param name="TargetPartition">The target's admin partition; null, empty or <c>default</c> for the default partition.</param>
/// <param name="Peer">The cluster peer the target is imported from; null or empty when not peered.</param>
/// <param name="HasExternalSni">The target service's service-defaults set <c>ExternalSNI</c>: it lives outside the mesh and is always dialled directly.</param>
/// <param name="IsPreparedQuery">The upstream is a prepared query (<c>destination_type = "prepared_query"</c>): never through a gateway.</param>
public readonly record struct UpstreamTarget(
    string? LocalDatacenter = null,
    string? TargetDatacenter = null,
    string? LocalPartition = null,
    string? TargetPartition = null,
    string? Peer = null,
    bool HasExternalSni = false,
    bool IsPreparedQuery = false)
{
    /// <summary>The name of the default admin partition; an empty partition means the same.</summary>
    public const string DefaultPartition = "default";

    /// <summary>True when the target is imported from a cluster peer.</summary>
    public bool IsPeered => !string.IsNullOrEmpty(Peer);

    /// <summary>True when the target is in the proxy's own datacenter and admin partition.</summary>
    public bool IsLocal =>
        (string.IsNullOrEmpty(TargetDatacenter) || string.Equals(LocalDatacenter ?? "", TargetDatacenter, StringComparison.Ordinal))
        && SamePartition(LocalPartition, TargetPartition);

    /// <summary>A target in another datacenter of the default partition.</summary>
    /// <param name="localDatacenter">The proxy's datacenter.</param>
    /// <param name="targetDatacenter">The target's datacenter.</param>
    /// <returns>The target.</returns>
    public static UpstreamTarget InDatacenter(string localDatacenter, string targetDatacenter) =>
        new(LocalDatacenter: localDatacenter, TargetDatacenter: targetDatacenter);

    /// <summary>A target imported from a cluster peer.</summary>
    /// <param name="peer">The peer's name.</param>
    /// <returns>The target.</returns>
    public static UpstreamTarget FromPeer(string peer) => new(Peer: peer);

    private static bool SamePartition(string? local, string? target) =>
        string.Equals(Normalize(local), Normalize(target), StringComparison.Ordinal);

    private static string Normalize(string? partition) =>
        string.IsNullOrEmpty(partition) ? DefaultPartition : partition;
}
