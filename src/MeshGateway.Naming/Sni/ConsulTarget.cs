namespace MeshGateway.Naming;

/// <summary>The parts of a compiled discovery-chain target that its SNI depends on (Consul's <c>structs.DiscoveryTarget</c>).</summary>
/// <param name="Service">The target service.</param>
/// <param name="ServiceSubset">The service-resolver subset, or <see langword="null"/>/empty for none.</param>
/// <param name="Namespace">The namespace; <see langword="null"/>/empty means <c>default</c>.</param>
/// <param name="Partition">The partition; <see langword="null"/>/empty means <c>default</c>.</param>
/// <param name="Datacenter">The datacenter.</param>
public sealed record ConsulTarget(
    string Service,
    string? ServiceSubset,
    string? Namespace,
    string? Partition,
    string Datacenter);
