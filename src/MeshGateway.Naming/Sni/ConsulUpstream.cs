namespace MeshGateway.Naming;

/// <summary>The parts of a proxy's upstream declaration that its SNI depends on (Consul's <c>structs.Upstream</c>).</summary>
/// <param name="DestinationName">The service or prepared query the upstream points at.</param>
/// <param name="DestinationType">Service or prepared query.</param>
/// <param name="DestinationNamespace">The destination namespace; <see langword="null"/>/empty means <c>default</c>.</param>
/// <param name="DestinationPartition">The destination partition; <see langword="null"/>/empty means <c>default</c>.</param>
/// <param name="Datacenter">The destination datacenter; <see langword="null"/>/empty means the local one.</param>
/// <param name="DestinationPeer">The destination peer. Ignored by <c>UpstreamSNI</c>, as in Consul (a <c>TODO(peering)</c> there).</param>
public sealed record ConsulUpstream(
    string DestinationName,
    ConsulUpstreamDestinationType DestinationType = ConsulUpstreamDestinationType.Service,
    string? DestinationNamespace = null,
    string? DestinationPartition = null,
    string? Datacenter = null,
    string? DestinationPeer = null);
