namespace MeshGateway.Naming;

/// <summary>Where a mesh gateway sends a connection (spec §4.1).</summary>
public enum MeshGatewayRouteKind
{
    /// <summary>To a service (or service subset) in the gateway's own datacenter and partition.</summary>
    LocalService = 0,

    /// <summary>To the mesh gateways of another datacenter or partition, still encrypted.</summary>
    RemoteGateway = 1,
}
