namespace MeshGateway.Modes.ConfigEntries;

/// <summary>
/// A service-defaults <c>UpstreamConfig.Defaults</c> item (no name) or <c>UpstreamConfig.Overrides[]</c> item
/// (named upstream). Only the fields that matter to mesh gateway modes are kept.
/// </summary>
/// <param name="Name">The upstream service the override applies to; null for <c>Defaults</c>.</param>
/// <param name="Namespace">The upstream's namespace; null means the service-defaults entry's own.</param>
/// <param name="Partition">The upstream's partition; null means the service-defaults entry's own.</param>
/// <param name="Peer">The cluster peer the upstream is imported from; null when not peered.</param>
/// <param name="Mode">The <c>MeshGateway.Mode</c>.</param>
public sealed record UpstreamConfigEntry(
    string? Name,
    string? Namespace,
    string? Partition,
    string? Peer,
    MeshGatewayMode Mode);
