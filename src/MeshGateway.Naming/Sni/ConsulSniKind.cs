namespace MeshGateway.Naming;

/// <summary>The shapes of SNI that Consul builds (<c>agent/connect/sni.go</c>).</summary>
public enum ConsulSniKind
{
    /// <summary>Not a Consul SNI (the value of a default <see cref="ConsulSniName"/>).</summary>
    None = 0,

    /// <summary>
    /// A service or service subset: <c>[subset.]service.namespace.datacenter.internal.td</c>, or
    /// <c>[subset.]service.namespace.partition.datacenter.internal-v1.td</c> for a non-default partition.
    /// </summary>
    Service = 1,

    /// <summary>A datacenter/partition's mesh gateways: <c>datacenter.internal.td</c> or <c>partition.datacenter.internal-v1.td</c>.</summary>
    Gateway = 2,

    /// <summary>A prepared query: <c>query.default.datacenter.query.td</c>.</summary>
    PreparedQuery = 3,

    /// <summary>A service exported to a cluster peer: <c>service.namespace.partition.peer.external.td</c>.</summary>
    Peered = 4,
}
