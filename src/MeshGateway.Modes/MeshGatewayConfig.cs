namespace MeshGateway.Modes;

/// <summary>
/// Consul's <c>MeshGatewayConfig</c>: the <c>MeshGateway { Mode }</c> block carried by proxy-defaults,
/// service-defaults, upstream configs, proxy registrations and upstreams (Consul <c>agent/structs/connect_proxy_config.go</c>).
/// </summary>
/// <param name="Mode">The configured mode; <see cref="MeshGatewayMode.Default"/> when absent.</param>
public readonly record struct MeshGatewayConfig(MeshGatewayMode Mode)
{
    /// <summary>True iff the block equals its zero value, i.e. the mode is <see cref="MeshGatewayMode.Default"/>.</summary>
    public bool IsZero => Mode == MeshGatewayMode.Default;

    /// <summary>
    /// Consul's <c>OverlayWith</c>: this configuration with the overlay's mode laid on top. The overlay wins
    /// iff its mode is not <see cref="MeshGatewayMode.Default"/>.
    /// </summary>
    /// <param name="overlay">The configuration laid over this one.</param>
    /// <returns><paramref name="overlay"/> when it is set, otherwise this configuration.</returns>
    public MeshGatewayConfig OverlayWith(MeshGatewayConfig overlay) =>
        overlay.IsZero ? this : overlay;

    /// <summary>Consul's string for the mode (<c>""</c>, <c>none</c>, <c>local</c> or <c>remote</c>).</summary>
    /// <returns>The mode as Consul writes it.</returns>
    public override string ToString() => MeshGatewayModeParser.ToConsulString(Mode);
}
