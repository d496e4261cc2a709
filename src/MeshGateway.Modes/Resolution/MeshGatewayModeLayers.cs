namespace MeshGateway.Modes;

/// <summary>
/// The mesh gateway mode set at each of the seven layers Consul consults for one upstream, highest precedence
/// first (Consul <c>agent/configentry/resolve.go</c>, <c>agent/consul/discoverychain/compile.go</c>). <see cref="MeshGatewayMode.Default"/> means "not set here".
/// </summary>
/// <param name="Upstream">The upstream definition's <c>mesh_gateway</c>.</param>
/// <param name="UpstreamOverride">The downstream's service-defaults <c>UpstreamConfig.Overrides</c> entry matching the upstream.</param>
/// <param name="Proxy">The proxy (service instance) registration's <c>Proxy.MeshGateway</c>.</param>
/// <param name="UpstreamDefaults">The downstream's service-defaults <c>UpstreamConfig.Defaults</c>.</param>
/// <param name="ServiceDefaults">The downstream's service-defaults top-level <c>MeshGateway</c>.</param>
/// <param name="ProxyDefaults">The <c>global</c> proxy-defaults <c>MeshGateway</c>.</param>
/// <param name="TargetServiceDefaults">The target service's own service-defaults <c>MeshGateway</c>.</param>
public readonly record struct MeshGatewayModeLayers(
    MeshGatewayMode Upstream = MeshGatewayMode.Default,
    MeshGatewayMode UpstreamOverride = MeshGatewayMode.Default,
    MeshGatewayMode Proxy = MeshGatewayMode.Default,
    MeshGatewayMode UpstreamDefaults = MeshGatewayMode.Default,
    MeshGatewayMode ServiceDefaults = MeshGatewayMode.Default,
    MeshGatewayMode ProxyDefaults = MeshGatewayMode.Default,
    MeshGatewayMode TargetServiceDefaults = MeshGatewayMode.Default)
{
    /// <summary>The number of layers (the named values of <see cref="MeshGatewayModeSource"/> after <see cref="MeshGatewayModeSource.Unset"/>).</summary>
    public const int Count = 7;

    /// <summary>The mode set at one layer.</summary>
    /// <param name="source">The layer; <see cref="MeshGatewayModeSource.Unset"/> gives <see cref="MeshGatewayMode.Default"/>.</param>
    /// <returns>The layer's setting.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="source"/> is not a defined value.</exception>
    public MeshGatewayMode this[MeshGatewayModeSource source] => source switch
    {
        MeshGatewayModeSource.Unset => MeshGatewayMode.Default,
        MeshGatewayModeSource.Upstream => Upstream,
        MeshGatewayModeSource.UpstreamOverride => UpstreamOverride,
        MeshGatewayModeSource.Proxy => Proxy,
        MeshGatewayModeSource.UpstreamDefaults => UpstreamDefaults,
        MeshGatewayModeSource.ServiceDefaults => ServiceDefaults,
        MeshGatewayModeSource.ProxyDefaults => ProxyDefaults,
        MeshGatewayModeSource.TargetServiceDefaults => TargetServiceDefaults,
        _ => throw new ArgumentOutOfRangeException(nameof(source), source, "Not a defined layer."),
    };

    /// <summary>A copy with one layer's setting replaced.</summary>
    /// <param name="source">The layer to set.</param>
    /// <param name="mode">The new setting.</param>
    /// <returns>The new layers.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="source"/> is <see cref="MeshGatewayModeSource.Unset"/> or undefined.</exception>
    public MeshGatewayModeLayers With(MeshGatewayModeSource source, MeshGatewayMode mode) => source switch
    {
        MeshGatewayModeSource.Upstream => this with { Upstream = mode },
        MeshGatewayModeSource.UpstreamOverride => this with { UpstreamOverride = mode },
        MeshGatewayModeSource.Proxy => this with { Proxy = mode },
        MeshGatewayModeSource.UpstreamDefaults => this with { UpstreamDefaults = mode },
        MeshGatewayModeSource.ServiceDefaults => this with { ServiceDefaults = mode },
        MeshGatewayModeSource.ProxyDefaults => this with { ProxyDefaults = mode },
        MeshGatewayModeSource.TargetServiceDefaults => this with { TargetServiceDefaults = mode },
        _ => throw new ArgumentOutOfRangeException(nameof(source), source, "Not a layer that holds a setting."),
    };
}
