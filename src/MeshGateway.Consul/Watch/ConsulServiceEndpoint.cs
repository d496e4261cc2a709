namespace MeshGateway.Consul.Watch;

/// <summary>
/// One passing, Connect-capable instance of a local service (a sidecar proxy or a Connect-native instance) as
/// <c>GET /v1/health/connect/:service?passing</c> returns it: where the gateway dials to reach the service.
/// </summary>
/// <param name="Service">The destination service name.</param>
/// <param name="Namespace">The instance's namespace when the API gives one (Consul Enterprise), else null.</param>
/// <param name="Partition">The instance's admin partition when the API gives one (Consul Enterprise), else null.</param>
/// <param name="Node">The node the instance runs on.</param>
/// <param name="ServiceId">The instance's service ID (for example <c>web-sidecar-proxy</c>).</param>
/// <param name="Host">The address to dial: the service address, else the node address.</param>
/// <param name="Port">The port to dial.</param>
public sealed record ConsulServiceEndpoint(string Service, string? Namespace, string? Partition, string Node, string ServiceId, string Host, int Port);
