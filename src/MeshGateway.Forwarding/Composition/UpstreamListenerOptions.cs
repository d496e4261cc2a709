namespace MeshGateway.Forwarding;

/// <summary>
/// A sidecar upstream: where the application dials it, what it targets, its own mode, and the endpoints of every
/// dial path. MeshGateway.Modes picks the path (the upstream's mode, then <see cref="MeshGatewayOptions.DefaultMode"/>);
/// only that path's list must be non-empty.
/// </summary>
public sealed class UpstreamListenerOptions
{
    /// <summary>The upstream's name (required, unique).</summary>
    public string? Name { get; init; }

    /// <summary>The local address, <c>IP:PORT</c> (required).</summary>
    public string? Listen { get; init; }

    /// <summary>The target's datacenter (required; <c>[a-z0-9_-]</c>).</summary>
    public string? TargetDatacenter { get; init; }

    /// <summary>The upstream's own mode in Consul's words (<c>""</c> or <see langword="null"/> leaves it to the default).</summary>
    public string? Mode { get; init; }

    /// <summary>The target's instances, dialed in mode <c>none</c> (direct).</summary>
    public IReadOnlyList<string> Instances { get; init; } = [];

    /// <summary>The local datacenter's gateways, dialed in mode <c>local</c>.</summary>
    public IReadOnlyList<string> LocalGateways { get; init; } = [];

    /// <summary>The target datacenter's gateways, dialed in mode <c>remote</c>.</summary>
    public IReadOnlyList<string> RemoteGateways { get; init; } = [];
}
