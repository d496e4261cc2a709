namespace MeshGateway.Forwarding;

/// <summary>What a <see cref="MeshGatewayOptions"/> describes (the <c>mode</c> key of a <c>meshgw run</c> file).</summary>
public enum MeshGatewayRole
{
    /// <summary>A Consul-style mesh gateway: routes TLS by SNI to local services and to other datacenters' gateways (spec §4.3).</summary>
    MeshGateway = 0,

    /// <summary>A sidecar's upstream listeners: one local listener per upstream, dialing the path its mode chose (spec §3.5).</summary>
    UpstreamListener = 1,
}
