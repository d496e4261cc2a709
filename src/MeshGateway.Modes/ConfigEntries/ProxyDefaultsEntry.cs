namespace MeshGateway.Modes.ConfigEntries;

/// <summary>A <c>proxy-defaults</c> config entry (always named <c>global</c>).</summary>
/// <param name="Partition">The admin partition it applies to; null for the default partition.</param>
/// <param name="Mode">
/// The top-level <c>MeshGateway.Mode</c>, or, when that is empty, the opaque <c>Config.mesh_gateway.mode</c>
/// (Consul lets the typed field win, <c>agent/configentry/resolve.go</c>).
/// </param>
public sealed record ProxyDefaultsEntry(string? Partition, MeshGatewayMode Mode);
