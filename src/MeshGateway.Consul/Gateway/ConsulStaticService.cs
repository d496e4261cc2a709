using MeshGateway.Forwarding;

namespace MeshGateway.Consul.Gateway;

/// <summary>
/// A local service the user gave (<c>--service</c>, a <c>meshgw run</c> file's <c>services</c>): served at its Consul
/// SNI in its namespace next to what Consul says, and winning over Consul's endpoints of the same service and namespace.
/// </summary>
/// <param name="Name">The service name.</param>
/// <param name="Endpoints">Where to dial it.</param>
public sealed record ConsulStaticService(string Name, IReadOnlyList<UpstreamEndpoint> Endpoints)
{
    /// <summary>The service's namespace; <see langword="null"/> for <c>default</c>.</summary>
    public string? Namespace { get; init; }
}
