namespace MeshGateway.Modes.ConfigEntries;

/// <summary>One upstream declared in a proxy registration (<c>Proxy.Upstreams[]</c> / <c>proxy.upstreams[]</c>).</summary>
/// <param name="DestinationName">The upstream service, or the prepared query's name.</param>
/// <param name="DestinationNamespace">The upstream's namespace; null means the downstream's.</param>
/// <param name="DestinationPartition">The upstream's partition; null means the downstream's.</param>
/// <param name="DestinationPeer">The cluster peer the upstream is imported from; null when not peered.</param>
/// <param name="Datacenter">The upstream's datacenter; null means the local one.</param>
/// <param name="IsPreparedQuery"><c>DestinationType</c> is <c>prepared_query</c>.</param>
/// <param name="Mode">The upstream's own <c>MeshGateway.Mode</c>.</param>
public sealed record UpstreamRegistration(
    string DestinationName,
    string? DestinationNamespace,
    string? DestinationPartition,
    string? DestinationPeer,
    string? Datacenter,
    bool IsPreparedQuery,
    MeshGatewayMode Mode);
