namespace MeshGateway.Naming;

/// <summary>
/// Consul's SNI functions (<c>agent/connect/sni.go</c>) as one-call string builders, plus the trust domain of a
/// cluster. For allocation-free formatting, build a <see cref="ConsulSniName"/> and call
/// <see cref="ConsulSniName.TryFormat(Span{char}, out int)"/>.
/// </summary>
public static class ConsulSni
{
    /// <summary>Consul's <c>ServiceSNI</c>; see <see cref="ConsulSniName.ForService"/>.</summary>
    /// <param name="service">The service name; required.</param>
    /// <param name="subset">The subset, or <see langword="null"/>/empty for none.</param>
    /// <param name="namespace">The namespace; <see langword="null"/>/empty means <c>default</c>.</param>
    /// <param name="partition">The partition; <see langword="null"/>/empty means <c>default</c>.</param>
    /// <param name="datacenter">The datacenter; required.</param>
    /// <param name="trustDomain">The trust domain; required.</param>
    /// <returns>For example <c>v1.api.default.dc1.internal.td</c>.</returns>
    /// <exception cref="ArgumentException">A required part is empty or a part contains a dot.</exception>
    public static string Service(
        string service, string? subset, string? @namespace, string? partition, string datacenter, string trustDomain) =>
        ConsulSniName.ForService(service, subset, @namespace, partition, datacenter, trustDomain).ToString();

    /// <summary>Consul's <c>GatewaySNI</c>; see <see cref="ConsulSniName.ForGateway"/>.</summary>
    /// <param name="datacenter">The datacenter; required.</param>
    /// <param name="partition">The partition; <see langword="null"/>/empty means <c>default</c>.</param>
    /// <param name="trustDomain">The trust domain; required.</param>
    /// <returns>For example <c>dc2.internal.td</c> or <c>part1.dc2.internal-v1.td</c>.</returns>
    /// <exception cref="ArgumentException">A required part is empty or a part contains a dot.</exception>
    public static string Gateway(string datacenter, string? partition, string trustDomain) =>
        ConsulSniName.ForGateway(datacenter, partition, trustDomain).ToString();

    /// <summary>Consul's <c>QuerySNI</c>; see <see cref="ConsulSniName.ForPreparedQuery"/>.</summary>
    /// <param name="query">The prepared query's name; required.</param>
    /// <param name="datacenter">The datacenter; required.</param>
    /// <param name="trustDomain">The trust domain; required.</param>
    /// <returns>For example <c>geo-db.default.dc1.query.td</c>.</returns>
    /// <exception cref="ArgumentException">A required part is empty or a part contains a dot.</exception>
    public static string Query(string query, string datacenter, string trustDomain) =>
        ConsulSniName.ForPreparedQuery(query, datacenter, trustDomain).ToString();

    /// <summary>Consul's <c>PeeredServiceSNI</c>; see <see cref="ConsulSniName.ForPeeredService"/>.</summary>
    /// <param name="service">The service name; required.</param>
    /// <param name="namespace">The namespace; <see langword="null"/>/empty means <c>default</c>.</param>
    /// <param name="partition">The partition; <see langword="null"/>/empty means <c>default</c>.</param>
    /// <param name="peer">The peer; required.</param>
    /// <param name="trustDomain">The trust domain; required.</param>
    /// <returns>For example <c>api.default.default.cloud.external.td</c>.</returns>
    /// <exception cref="ArgumentException">A required part (including the peer) is empty or a part contains a dot.</exception>
    public static string Peered(string service, string? @namespace, string? partition, string peer, string trustDomain) =>
        ConsulSniName.ForPeeredService(service, @namespace, partition, peer, trustDomain).ToString();

    /// <summary>Consul's <c>UpstreamSNI</c>; see <see cref="ConsulSniName.ForUpstream"/>.</summary>
    /// <param name="upstream">The upstream as declared on the proxy.</param>
    /// <param name="subset">The subset, or <see langword="null"/>/empty for none.</param>
    /// <param name="datacenter">The local datacenter, used when the upstream names none.</param>
    /// <param name="trustDomain">The trust domain.</param>
    /// <returns>The service or prepared-query name the sidecar sends.</returns>
    /// <exception cref="ArgumentException">A required part is empty or a part contains a dot.</exception>
    public static string Upstream(ConsulUpstream upstream, string? subset, string datacenter, string trustDomain) =>
        ConsulSniName.ForUpstream(upstream, subset, datacenter, trustDomain).ToString();

    /// <summary>Consul's <c>TargetSNI</c>; see <see cref="ConsulSniName.ForTarget"/>.</summary>
    /// <param name="target">The resolved discovery-chain target.</param>
    /// <param name="trustDomain">The trust domain.</param>
    /// <returns>The target's service name.</returns>
    /// <exception cref="ArgumentException">A required part is empty or a part contains a dot.</exception>
    public static string Target(ConsulTarget target, string trustDomain) =>
        ConsulSniName.ForTarget(target, trustDomain).ToString();

    /// <summary>
    /// The trust domain of a Consul cluster: <c>&lt;cluster-id&gt;.consul</c>, lower-cased (Consul's
    /// <c>SpiffeIDSigningForCluster(...).Host()</c>; the <c>consul</c> label is fixed, not the DNS domain setting).
    /// </summary>
    /// <param name="clusterId">The cluster id, a UUID such as <c>11111111-2222-3333-4444-555555555555</c>.</param>
    /// <returns>For example <c>11111111-2222-3333-4444-555555555555.consul</c>.</returns>
    /// <exception cref="ArgumentException"><paramref name="clusterId"/> is empty.</exception>
    public static string TrustDomainFromClusterId(string clusterId)
    {
        ArgumentException.ThrowIfNullOrEmpty(clusterId);
        return string.Concat(clusterId, ".", ConsulSniLabels.TrustDomainSuffix).ToLowerInvariant();
    }

    /// <summary>
    /// The string form of Consul's <c>GatewayKey</c> (<c>agent/proxycfg</c>): <c>datacenter</c> for the default
    /// partition, else <c>partition.datacenter</c>.
    /// </summary>
    /// <param name="datacenter">The datacenter.</param>
    /// <param name="partition">The partition; <see langword="null"/>/empty/<c>default</c> means the default partition.</param>
    /// <returns>For example <c>dc2</c> or <c>part1.dc2</c>.</returns>
    public static string GatewayKey(string datacenter, string? partition)
    {
        ArgumentNullException.ThrowIfNull(datacenter);
        return string.IsNullOrEmpty(partition) || string.Equals(partition, ConsulSniLabels.Default, StringComparison.Ordinal)
            ? datacenter
            : string.Concat(partition, ".", datacenter);
    }
}
