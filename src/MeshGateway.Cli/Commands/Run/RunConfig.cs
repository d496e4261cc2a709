using System.Net;
using MeshGateway.Forwarding;
using MeshGateway.Modes;

namespace MeshGateway.Cli.Commands.Run;

/// <summary>What the process is: a Consul-style mesh gateway, or a sidecar's upstream listeners.</summary>
internal enum RunMode
{
    /// <summary>Route by SNI to local services and remote datacenters' gateways (Consul spec §4.3).</summary>
    MeshGateway,

    /// <summary>One local listener per upstream, dialing the path the mesh-gateway mode chose (spec §3.5).</summary>
    UpstreamListener,
}

/// <summary>A local service (by name, or by a full SNI) and its instances.</summary>
internal sealed record ServiceConfig(string? Name, string? Sni, string? Namespace, IReadOnlyList<UpstreamEndpoint> Endpoints);

/// <summary>A remote datacenter's (or partition's) mesh gateways.</summary>
internal sealed record RemoteGatewayConfig(string Datacenter, string? Partition, IReadOnlyList<UpstreamEndpoint> Endpoints);

/// <summary>A sidecar upstream: where it listens, what it targets, in which mode, and every possible next hop.</summary>
internal sealed record UpstreamConfig(
    string Name,
    IPEndPoint Listen,
    string TargetDatacenter,
    MeshGatewayMode Mode,
    IReadOnlyList<UpstreamEndpoint> Instances,
    IReadOnlyList<UpstreamEndpoint> LocalGateways,
    IReadOnlyList<UpstreamEndpoint> RemoteGateways);

/// <summary>The validated contents of a <c>meshgw run</c> configuration file (docs/configuration.md).</summary>
internal sealed record RunConfig(
    RunMode Mode,
    string Datacenter,
    string? Partition,
    string TrustDomain,
    IReadOnlyList<IPEndPoint> Listeners,
    IReadOnlyList<ServiceConfig> Services,
    IReadOnlyList<RemoteGatewayConfig> RemoteGateways,
    MeshGatewayMode DefaultMode,
    IReadOnlyList<UpstreamConfig> Upstreams,
    ForwarderOptions Forwarder,
    ProxyProtocolVersion ProxyProtocol,
    TimeSpan? MetricsInterval)
{
    /// <summary>What the file says that still works but should change (a deprecated word), one sentence each.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];
}
