namespace MeshGateway.Forwarding;

/// <summary>
/// Everything a gateway process runs, in one immutable description: a mesh gateway (listeners, local services,
/// remote gateways) or a sidecar's upstream listeners, with the timeouts and limits of their forwarders. It is what a
/// <c>meshgw run</c> file holds and what the <c>MeshGateway</c> section of a .NET host's configuration holds, key for
/// key (docs/configuration.md). Nothing is checked here: <see cref="MeshGatewayComposer"/> checks all of it at once
/// and turns it into <see cref="ListenerPlan"/>s.
/// </summary>
/// <remarks>
/// Addresses and endpoints are kept as the text written, so that each error names the value and its place; names
/// are checked as Consul and TLS clients require (docs/naming.md). Upstream listeners may take their modes from Consul
/// config-entry files (<see cref="Entries"/>, <see cref="Service"/>); a mesh gateway may follow a Consul agent
/// (<see cref="Consul"/>, which <c>meshgw run</c> follows through MeshGateway.Consul).
/// </remarks>
/// <example>
/// <code>
/// var options = new MeshGatewayOptions
/// {
///     Datacenter = "dc1",
///     TrustDomain = "11111111-2222-3333-4444-555555555555.consul",
///     Listeners = ["0.0.0.0:8443"],
///     Services = [new() { Name = "web", Endpoints = ["10.0.0.5:20000"] }],
///     RemoteGateways = [new() { Datacenter = "dc2", Endpoints = ["192.0.2.10:8443"] }],
/// };
/// </code>
/// </example>
public sealed class MeshGatewayOptions
{
    /// <summary>A mesh gateway (the default) or upstream listeners.</summary>
    public MeshGatewayRole Mode { get; init; } = MeshGatewayRole.MeshGateway;

    /// <summary>This gateway's or sidecar's datacenter (required; <c>[a-z0-9_-]</c>, as Consul's agent).</summary>
    public string? Datacenter { get; init; }

    /// <summary>The admin partition; <see langword="null"/> for <c>default</c>. Non-default partitions use <c>internal-v1</c> names.</summary>
    public string? Partition { get; init; }

    /// <summary>The mesh trust domain, <c>&lt;cluster id&gt;.consul</c> (required).</summary>
    public string? TrustDomain { get; init; }

    /// <summary>A mesh gateway's listen addresses: <c>IPv4:PORT</c>, <c>[IPv6]:PORT</c> or <c>localhost:PORT</c> (port 0 picks a free one).</summary>
    public IReadOnlyList<string> Listeners { get; init; } = [];

    /// <summary>A mesh gateway's local services (exact SNI routes).</summary>
    public IReadOnlyList<MeshGatewayServiceOptions> Services { get; init; } = [];

    /// <summary>A mesh gateway's remote datacenters or partitions (<c>*.&lt;gateway SNI&gt;</c> routes).</summary>
    public IReadOnlyList<MeshGatewayRemoteGatewayOptions> RemoteGateways { get; init; } = [];

    /// <summary>
    /// Upstream listeners' proxy-defaults mode, in Consul's words: <c>""</c> or <see langword="null"/> (the default
    /// mode), <c>none</c>, <c>local</c>, <c>remote</c>. <c>"default"</c>, which Consul rejects, is read as the default
    /// mode with a warning.
    /// </summary>
    public string? DefaultMode { get; init; }

    /// <summary>The upstream listeners (required when <see cref="Mode"/> is <see cref="MeshGatewayRole.UpstreamListener"/>).</summary>
    public IReadOnlyList<UpstreamListenerOptions> Upstreams { get; init; } = [];

    /// <summary>
    /// Upstream listeners only: Consul config-entry and registration files (HCL or JSON, as <c>meshgw resolve
    /// --entries</c> reads them), whose layers each upstream's mode is resolved with, in Consul's precedence. A
    /// relative path is read from <see cref="BaseDirectory"/>.
    /// </summary>
    public IReadOnlyList<string> Entries { get; init; } = [];

    /// <summary>
    /// Upstream listeners only: the service whose proxy registration in <see cref="Entries"/> declares the upstreams,
    /// named as the destination service (<c>web</c>) or as the proxy's own registration (<c>web-sidecar-proxy</c>).
    /// Without it, only the entries' proxy-defaults and each target's own service-defaults apply.
    /// </summary>
    public string? Service { get; init; }

    /// <summary>
    /// The folder relative file paths (<see cref="Entries"/>, <see cref="Consul"/>'s token and TLS files) are read
    /// from; <see langword="null"/> for the current directory. Not a configuration key: the reader sets it
    /// (<c>meshgw run</c>: the configuration file's folder).
    /// </summary>
    public string? BaseDirectory { get; init; }

    /// <summary>A mesh gateway only: the Consul agent whose catalog adds local services and remote gateways, and the gateway's own registration.</summary>
    public MeshGatewayConsulOptions? Consul { get; init; }

    /// <summary>The forwarders' timeouts.</summary>
    public MeshGatewayTimeoutOptions Timeouts { get; init; } = new();

    /// <summary>The forwarders' limits.</summary>
    public MeshGatewayLimitOptions Limits { get; init; } = new();

    /// <summary>The PROXY protocol header written to every upstream before the client's bytes. Default none.</summary>
    public ProxyProtocolVersion ProxyProtocol { get; init; } = ProxyProtocolVersion.None;

    /// <summary>Periodic metrics lines.</summary>
    public MeshGatewayMetricsOptions Metrics { get; init; } = new();
}
