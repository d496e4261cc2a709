namespace MeshGateway.Modes.ConfigEntries;

/// <summary>A <c>service-defaults</c> config entry, reduced to what decides mesh gateway modes.</summary>
/// <param name="Name">The service it configures.</param>
/// <param name="Namespace">Its namespace; null for <c>default</c>.</param>
/// <param name="Partition">Its admin partition; null for <c>default</c>.</param>
/// <param name="Mode">The top-level <c>MeshGateway.Mode</c>.</param>
/// <param name="ExternalSni">
/// <c>ExternalSNI</c>: when set the service lives outside the mesh and proxies dial it directly.
/// </param>
/// <param name="UpstreamDefaults">The <c>UpstreamConfig.Defaults</c> item, if any.</param>
/// <param name="UpstreamOverrides">The <c>UpstreamConfig.Overrides</c> items, in order.</param>
public sealed record ServiceDefaultsEntry(
    string Name,
    string? Namespace,
    string? Partition,
    MeshGatewayMode Mode,
    string? ExternalSni,
    UpstreamConfigEntry? UpstreamDefaults,
    IReadOnlyList<UpstreamConfigEntry> UpstreamOverrides);
