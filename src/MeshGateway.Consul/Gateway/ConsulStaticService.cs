using MeshGateway.Forwarding;

namespace MeshGateway.Consul.Gateway;

/// <summary>
/// A local service the user gave (<c>--service</c>): served at its Consul SNI in the default namespace next to what
/// Consul says, and winning over Consul's endpoints of the same service.
/// </summary>
/// <param name="Name">The service name.</param>
/// <param name="Endpoints">Where to dial it.</param>
public sealed record ConsulStaticService(string Name, IReadOnlyList<UpstreamEndpoint> Endpoints);
