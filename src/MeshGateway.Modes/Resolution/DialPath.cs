namespace MeshGateway.Modes;

/// <summary>Where a proxy sends an upstream connection (Consul <c>agent/proxycfg/upstreams.go</c>, <c>agent/xds/endpoints.go</c>). In every case the TLS SNI is the final target's.</summary>
public enum DialPath
{
    /// <summary>The target's own instances (LAN addresses in the same datacenter, WAN addresses in another).</summary>
    Direct = 0,

    /// <summary>A mesh gateway in the proxy's own datacenter/partition, which forwards by SNI.</summary>
    LocalGateway,

    /// <summary>A mesh gateway in the target's datacenter/partition, or the peer's exported addresses.</summary>
    RemoteGateway,
}
