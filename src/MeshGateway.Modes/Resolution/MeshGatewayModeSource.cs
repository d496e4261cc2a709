namespace MeshGateway.Modes;

/// <summary>
/// The layer whose setting decided a mode, in precedence order (highest first; Consul <c>agent/configentry/resolve.go</c>, "larger number wins"): the upstream's own
/// <c>mesh_gateway</c>, the downstream's service-defaults <c>UpstreamConfig.Overrides</c> entry, the proxy
/// registration, <c>UpstreamConfig.Defaults</c>, the downstream's service-defaults top level, proxy-defaults,
/// and finally the target service's own service-defaults (consulted at discovery-chain compile time).
/// </summary>
public enum MeshGatewayModeSource
{
    /// <summary>No layer set a mode; the result is <see cref="MeshGatewayMode.Default"/>.</summary>
    Unset = 0,

    /// <summary>The upstream definition's <c>mesh_gateway</c> (highest precedence).</summary>
    Upstream,

    /// <summary>The downstream's service-defaults <c>UpstreamConfig.Overrides</c> entry for this upstream.</summary>
    UpstreamOverride,

    /// <summary>The proxy (service instance) registration's <c>Proxy.MeshGateway</c>.</summary>
    Proxy,

    /// <summary>The downstream's service-defaults <c>UpstreamConfig.Defaults</c>.</summary>
    UpstreamDefaults,

    /// <summary>The downstream's service-defaults top-level <c>MeshGateway</c>.</summary>
    ServiceDefaults,

    /// <summary>The <c>global</c> proxy-defaults <c>MeshGateway</c>.</summary>
    ProxyDefaults,

    /// <summary>The target (upstream) service's own service-defaults <c>MeshGateway</c> (lowest precedence).</summary>
    TargetServiceDefaults,
}
