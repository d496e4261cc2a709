using MeshGateway.Modes;

namespace MeshGateway.Forwarding;

/// <summary>
/// The upstream (sidecar-side) mode: a local listener per upstream whose client speaks TLS with the target's SNI
/// itself. The SNI never changes with the mode; only the endpoints do. This picks them from the dial path that
/// <see cref="MeshGatewayModeResolver"/> resolved.
/// </summary>
public static class SidecarUpstreamRoute
{
    /// <summary>The route for an upstream named <paramref name="upstream"/> resolved to <paramref name="resolution"/>.</summary>
    public static ForwardRoute Create(string upstream, MeshGatewayResolution resolution, SidecarUpstreamEndpoints endpoints, IUpstreamSelector? selector = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(upstream);
        ArgumentNullException.ThrowIfNull(endpoints);
        (IReadOnlyList<UpstreamEndpoint> chosen, string path) = resolution.Path switch
        {
            DialPath.LocalGateway => (endpoints.LocalGateways, "local-gateway"),
            DialPath.RemoteGateway => (endpoints.RemoteGateways, "remote-gateway"),
            _ => (endpoints.TargetInstances, "direct"),
        };
        return new ForwardRoute($"{upstream}/{path}", new UpstreamCluster($"{upstream}/{path}", chosen, selector));
    }

    /// <summary>A resolver that sends every connection of the upstream's listener along its dial path.</summary>
    public static StaticRouteResolver CreateResolver(string upstream, MeshGatewayResolution resolution, SidecarUpstreamEndpoints endpoints, IUpstreamSelector? selector = null) =>
        new(Create(upstream, resolution, endpoints, selector));
}
