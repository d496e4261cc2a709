namespace MeshGateway.Modes.ConfigEntries;

/// <summary>The resolver's input for one upstream, as gathered from config entries and a registration.</summary>
/// <param name="Layers">The mode at each of the seven layers.</param>
/// <param name="Target">Where the upstream's target is.</param>
public readonly record struct UpstreamResolutionInput(MeshGatewayModeLayers Layers, UpstreamTarget Target)
{
    /// <summary>Runs <see cref="MeshGatewayModeResolver.Resolve"/> on this input.</summary>
    /// <returns>The resolution.</returns>
    public MeshGatewayResolution Resolve() => MeshGatewayModeResolver.Resolve(Layers, Target);
}
