namespace MeshGateway.Naming;

/// <summary>The fixed labels of Consul's SNI scheme (constants of <c>agent/connect/sni.go</c>).</summary>
public static class ConsulSniLabels
{
    /// <summary>Marker of default-partition service and gateway names: <c>internal</c>.</summary>
    public const string Internal = "internal";

    /// <summary>Marker of named-partition service and gateway names: <c>internal-v1</c> (<c>internal</c> + "-" + version <c>v1</c>).</summary>
    public const string InternalVersioned = "internal-v1";

    /// <summary>Marker of prepared-query names: <c>query</c>.</summary>
    public const string Query = "query";

    /// <summary>Marker of peered service names: <c>external</c>.</summary>
    public const string External = "external";

    /// <summary>The default namespace and partition: <c>default</c>. Empty namespaces and partitions become this.</summary>
    public const string Default = "default";

    /// <summary>The top-level label of every Consul trust domain: <c>consul</c> (<c>SpiffeIDSigningForCluster</c>).</summary>
    public const string TrustDomainSuffix = "consul";
}
