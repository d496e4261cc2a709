namespace MeshGateway.Modes;

/// <summary>Operations on <see cref="MeshGatewayMode"/> values.</summary>
public static class MeshGatewayModeExtensions
{
    /// <summary>
    /// Consul's overlay rule (<c>MeshGatewayConfig.OverlayWith</c>): <paramref name="overlay"/> replaces
    /// <paramref name="mode"/> iff it is not <see cref="MeshGatewayMode.Default"/>.
    /// </summary>
    /// <param name="mode">The base mode.</param>
    /// <param name="overlay">The mode laid on top.</param>
    /// <returns>The overlay when set, otherwise the base.</returns>
    public static MeshGatewayMode OverlayWith(this MeshGatewayMode mode, MeshGatewayMode overlay) =>
        overlay == MeshGatewayMode.Default ? mode : overlay;

    /// <summary>True for the four defined values, false for any other number cast to the enum.</summary>
    /// <param name="mode">The value to check.</param>
    /// <returns>Whether <paramref name="mode"/> is one of the named values.</returns>
    internal static bool IsDefined(this MeshGatewayMode mode) => (uint)mode <= (uint)MeshGatewayMode.Remote;
}
