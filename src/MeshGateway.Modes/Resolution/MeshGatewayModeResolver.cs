namespace MeshGateway.Modes;

/// <summary>
/// Consul's mesh gateway decision for one upstream target, as one pure, allocation-free function (Consul
/// <c>agent/configentry/resolve.go</c>, <c>agent/consul/discoverychain/compile.go</c>, <c>agent/proxycfg/upstreams.go</c>). It folds the seven <see cref="MeshGatewayModeLayers"/> (first non-Default wins) and then decides the
/// <see cref="DialPath"/> from where the target is.
/// </summary>
public static class MeshGatewayModeResolver
{
    /// <summary>Resolves the mode, the layer that decided it, and the dial path.</summary>
    /// <remarks>
    /// Rules, in order:
    /// <list type="number">
    /// <item>The mode is the first layer, in <see cref="MeshGatewayModeSource"/> order, that is not Default.</item>
    /// <item>A target with an external SNI, or a prepared query, is dialled directly.</item>
    /// <item>A peered target goes to the remote gateway when the mode is Default or None (None is reported
    /// as overridden), to the local gateway when Local, to the remote gateway when Remote. The datacenter
    /// comparison does not apply: a peer is another cluster.</item>
    /// <item>A target in the same datacenter and partition is dialled directly whatever the mode.</item>
    /// <item>Otherwise Default and None dial directly, Local the local gateway, Remote the remote gateway.</item>
    /// </list>
    /// </remarks>
    /// <param name="layers">The mode set at each layer.</param>
    /// <param name="target">Where the target is.</param>
    /// <returns>The resolution.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The deciding layer holds a number that is not a defined <see cref="MeshGatewayMode"/>.</exception>
    public static MeshGatewayResolution Resolve(in MeshGatewayModeLayers layers, in UpstreamTarget target)
    {
        MeshGatewayModeSource source = Decide(in layers, out MeshGatewayMode mode);
        if (!mode.IsDefined())
        {
            ThrowUndefinedMode(nameof(layers), source, mode);
        }

        // discoverychain/compile.go: an external-SNI target bypasses gateways; proxycfg: prepared queries never use them.
        if (target.HasExternalSni || target.IsPreparedQuery)
        {
            return new MeshGatewayResolution(mode, source, DialPath.Direct, NoneOverriddenForPeer: false);
        }

        // proxycfg/upstreams.go, peered targets: "" and remote → remote; none → remote with a warning; local → local gateways.
        if (target.IsPeered)
        {
            return mode == MeshGatewayMode.Local
                ? new MeshGatewayResolution(mode, source, DialPath.LocalGateway, NoneOverriddenForPeer: false)
                : new MeshGatewayResolution(mode, source, DialPath.RemoteGateway, mode == MeshGatewayMode.None);
        }

        // proxycfg/upstreams.go: same datacenter and partition → the target's own instances, whatever the mode.
        if (target.IsLocal)
        {
            return new MeshGatewayResolution(mode, source, DialPath.Direct, NoneOverriddenForPeer: false);
        }

        DialPath path = mode switch
        {
            MeshGatewayMode.Local => DialPath.LocalGateway,
            MeshGatewayMode.Remote => DialPath.RemoteGateway,
            _ => DialPath.Direct,
        };
        return new MeshGatewayResolution(mode, source, path, NoneOverriddenForPeer: false);
    }

    /// <summary>The first set layer and its mode (Consul's "a non-empty value always overrides" fold).</summary>
    private static MeshGatewayModeSource Decide(in MeshGatewayModeLayers layers, out MeshGatewayMode mode)
    {
        if ((mode = layers.Upstream) != MeshGatewayMode.Default)
        {
            return MeshGatewayModeSource.Upstream;
        }

        if ((mode = layers.UpstreamOverride) != MeshGatewayMode.Default)
        {
            return MeshGatewayModeSource.UpstreamOverride;
        }

        if ((mode = layers.Proxy) != MeshGatewayMode.Default)
        {
            return MeshGatewayModeSource.Proxy;
        }

        if ((mode = layers.UpstreamDefaults) != MeshGatewayMode.Default)
        {
            return MeshGatewayModeSource.UpstreamDefaults;
        }

        if ((mode = layers.ServiceDefaults) != MeshGatewayMode.Default)
        {
            return MeshGatewayModeSource.ServiceDefaults;
        }

        if ((mode = layers.ProxyDefaults) != MeshGatewayMode.Default)
        {
            return MeshGatewayModeSource.ProxyDefaults;
        }

        if ((mode = layers.TargetServiceDefaults) != MeshGatewayMode.Default)
        {
            return MeshGatewayModeSource.TargetServiceDefaults;
        }

        return MeshGatewayModeSource.Unset;
    }

    private static void ThrowUndefinedMode(string paramName, MeshGatewayModeSource source, MeshGatewayMode mode) =>
        throw new ArgumentOutOfRangeException(
            paramName, mode, $"The {source} layer holds an undefined mesh gateway mode.");
}
