namespace MeshGateway.Consul.Watch;

/// <summary>
/// One passing mesh gateway of another datacenter as <c>GET /v1/health/service/mesh-gateway?dc=…&amp;passing</c> returns
/// it. The address is the service's <c>wan</c> tagged address, else the node's <c>wan</c> tagged address, else the
/// service address, else the node address.
/// </summary>
/// <param name="Datacenter">The datacenter the gateway serves.</param>
/// <param name="Node">The node the gateway runs on.</param>
/// <param name="ServiceId">The gateway's service ID.</param>
/// <param name="Host">The address to dial.</param>
/// <param name="Port">The port to dial.</param>
public sealed record ConsulGatewayEndpoint(string Datacenter, string Node, string ServiceId, string Host, int Port);
