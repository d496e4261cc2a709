using MeshGateway.Forwarding;

namespace MeshGateway.Consul.Gateway;

/// <summary>
/// Another datacenter's gateways the user gave (<c>--remote-gateway</c>): served at that datacenter's gateway SNI suffix
/// next to what Consul says, and winning over Consul's gateways of the same datacenter and partition.
/// </summary>
/// <param name="Datacenter">The remote datacenter.</param>
/// <param name="Partition">Its admin partition; null for <c>default</c>.</param>
/// <param name="Endpoints">Where to dial its gateways.</param>
public sealed record ConsulStaticRemoteGateway(string Datacenter, string? Partition, IReadOnlyList<UpstreamEndpoint> Endpoints);
