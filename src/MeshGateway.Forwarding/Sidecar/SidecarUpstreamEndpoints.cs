namespace MeshGateway.Forwarding;

/// <summary>
/// Where a sidecar's upstream can be dialed, one set per dial path of MeshGateway.Modes (Consul spec §3.5): the
/// target's instances (direct), the local datacenter's gateways, and the target datacenter's gateways.
/// </summary>
/// <param name="TargetInstances">The target service's instances (WAN addresses when in another datacenter).</param>
/// <param name="LocalGateways">The mesh gateways of the local datacenter/partition.</param>
/// <param name="RemoteGateways">The mesh gateways of the target datacenter/partition.</param>
public sealed record SidecarUpstreamEndpoints(
    IReadOnlyList<UpstreamEndpoint> TargetInstances,
    IReadOnlyList<UpstreamEndpoint> LocalGateways,
    IReadOnlyList<UpstreamEndpoint> RemoteGateways);
