using MeshGateway.Forwarding;

namespace MeshGateway.Consul.Gateway;

/// <summary>
/// A local endpoint set the user gave under a full server name (<c>--service-sni</c>, a <c>meshgw run</c> file's
/// <c>services[].sni</c>; a subset, another namespace): served next to what Consul says, and winning over any route
/// Consul's catalog or <c>service-resolver</c> subsets would give the same name.
/// </summary>
/// <param name="Sni">The server name, exactly as clients send it (compared case-insensitively).</param>
/// <param name="Endpoints">Where to dial it.</param>
public sealed record ConsulStaticServiceSni(string Sni, IReadOnlyList<UpstreamEndpoint> Endpoints);
