namespace MeshGateway.Naming;

/// <summary>One destination of a mesh gateway's SNI route table (see <see cref="MeshGatewayRouteBuilder"/>).</summary>
/// <param name="Kind">A local service or a remote datacenter/partition's gateways.</param>
/// <param name="ClusterName">
/// The name Consul gives the gateway's Envoy cluster for this destination (spec §4.2): the service's (or
/// subset's) SNI for a local service, for example <c>v1.api.default.dc1.internal.td</c>; the remote gateways'
/// SNI for a remote gateway, for example <c>dc2.internal.td</c> or <c>part1.dc2.internal-v1.td</c>.
/// </param>
/// <param name="Datacenter">The destination's datacenter (the gateway's own for a local service).</param>
/// <param name="Partition">The destination's partition, <c>default</c> when none was given.</param>
/// <param name="Service">The local service, or <see langword="null"/> for a remote gateway.</param>
/// <param name="Namespace">The local service's namespace (<c>default</c> when none was given), or <see langword="null"/> for a remote gateway.</param>
/// <param name="Subset">The local service's subset, or <see langword="null"/>.</param>
public sealed record MeshGatewayRoute(
    MeshGatewayRouteKind Kind,
    string ClusterName,
    string Datacenter,
    string Partition,
    string? Service = null,
    string? Namespace = null,
    string? Subset = null)
{
    /// <summary>
    /// For a remote gateway, Consul's <c>GatewayKey</c> string: <c>dc2</c>, or <c>part1.dc2</c> for a
    /// non-default partition; for a local service, the same key of the gateway's own datacenter/partition.
    /// </summary>
    public string GatewayKey => ConsulSni.GatewayKey(Datacenter, Partition);
}
