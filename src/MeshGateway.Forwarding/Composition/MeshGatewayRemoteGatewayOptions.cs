namespace MeshGateway.Forwarding;

/// <summary>The mesh gateways of another datacenter (or partition): every name under its gateway SNI goes to them.</summary>
public sealed class MeshGatewayRemoteGatewayOptions
{
    /// <summary>The remote datacenter (required; <c>[a-z0-9_-]</c>).</summary>
    public string? Datacenter { get; init; }

    /// <summary>The remote partition; <see langword="null"/> for <c>default</c>.</summary>
    public string? Partition { get; init; }

    /// <summary>The remote gateways, each <c>HOST:PORT</c>; at least one.</summary>
    public IReadOnlyList<string> Endpoints { get; init; } = [];
}
