namespace MeshGateway.Modes;

/// <summary>The outcome of <see cref="MeshGatewayModeResolver.Resolve"/>: the mode, who decided it, and where to dial.</summary>
/// <param name="Mode">The effective configured mode: the first layer that is not <see cref="MeshGatewayMode.Default"/>, else Default.</param>
/// <param name="Source">The layer that decided <paramref name="Mode"/>, or <see cref="MeshGatewayModeSource.Unset"/>.</param>
/// <param name="Path">Where the proxy sends the connection.</param>
/// <param name="NoneOverriddenForPeer">
/// The mode was <see cref="MeshGatewayMode.None"/> but the target is peered, so Consul dials the remote gateway
/// instead and logs <c>invalid mesh gateway mode 'none', defaulting to 'remote'</c>.
/// </param>
public readonly record struct MeshGatewayResolution(
    MeshGatewayMode Mode,
    MeshGatewayModeSource Source,
    DialPath Path,
    bool NoneOverriddenForPeer)
{
    /// <summary>True when the connection goes through a mesh gateway (local or remote).</summary>
    public bool UsesGateway => Path != DialPath.Direct;
}
