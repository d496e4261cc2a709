namespace MeshGateway.Modes.ConfigEntries;

/// <summary>
/// The proxy side of a service registration: either a <c>connect-proxy</c> registration (keyed by its
/// destination service) or a service with a <c>Connect.SidecarService</c> / <c>connect.sidecar_service</c>.
/// </summary>
/// <param name="Service">The downstream service the proxy fronts (the service-defaults it reads are this service's).</param>
/// <param name="Namespace">The service's namespace; null for <c>default</c>.</param>
/// <param name="Partition">The service's admin partition; null for the file's (or <c>default</c>).</param>
/// <param name="ProxyMode">The proxy registration's <c>MeshGateway.Mode</c>.</param>
/// <param name="Upstreams">The declared upstreams, in order.</param>
/// <param name="TransparentProxy">
/// The proxy runs in transparent mode (<c>Proxy.Mode = "transparent"</c>), so it also reaches upstreams it does not
/// declare (inferred from intentions).
/// </param>
public sealed record ServiceRegistration(
    string Service,
    string? Namespace,
    string? Partition,
    MeshGatewayMode ProxyMode,
    IReadOnlyList<UpstreamRegistration> Upstreams,
    bool TransparentProxy = false)
{
    /// <summary>
    /// The proxy's own registration name: a connect-proxy's <c>Name</c>, or a sidecar's (<c>&lt;service&gt;-sidecar-proxy</c>
    /// unless its <c>sidecar_service</c> block names it); null when not known.
    /// </summary>
    public string? ProxyName { get; init; }
}
