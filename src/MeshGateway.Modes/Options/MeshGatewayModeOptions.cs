namespace MeshGateway.Modes;

/// <summary>
/// Mesh gateway mode settings an application keeps in configuration (for example <c>appsettings.json</c> under
/// <see cref="SectionName"/>), shaped for <c>Microsoft.Extensions.Configuration</c> binding. Modes are Consul's
/// strings (<c>""</c>, <c>none</c>, <c>local</c>, <c>remote</c>); nothing is checked until
/// <see cref="MeshGatewayModeSettings.TryCreate"/> validates the whole object and reports every error at once.
/// This type has no dependency beyond the BCL; the binding and start-up validation glue lives in
/// <c>MeshGateway.Forwarding</c>.
/// </summary>
/// <example>
/// <code>
/// "MeshGateway": { "Modes": {
///   "Datacenter": "dc1", "ProxyDefaults": "local", "Proxy": "",
///   "Upstreams": { "db": { "Datacenter": "dc2", "Mode": "remote" }, "billing": { "Peer": "cluster-02" } } } }
/// </code>
/// </example>
public sealed class MeshGatewayModeOptions
{
    /// <summary>The conventional configuration section: <c>MeshGateway:Modes</c>.</summary>
    public const string SectionName = "MeshGateway:Modes";

    /// <summary>The proxy's datacenter. Default: <c>dc1</c>.</summary>
    public string? Datacenter { get; set; }

    /// <summary>The proxy's admin partition. Default: <c>default</c>.</summary>
    public string? Partition { get; set; }

    /// <summary>The proxy registration's mode (the <see cref="MeshGatewayModeSource.Proxy"/> layer).</summary>
    public string? Proxy { get; set; }

    /// <summary>The downstream's service-defaults <c>UpstreamConfig.Defaults</c> mode.</summary>
    public string? UpstreamDefaults { get; set; }

    /// <summary>The downstream's service-defaults top-level mode.</summary>
    public string? ServiceDefaults { get; set; }

    /// <summary>The proxy-defaults mode.</summary>
    public string? ProxyDefaults { get; set; }

    /// <summary>The upstreams, keyed by destination service name.</summary>
    public IDictionary<string, MeshGatewayUpstreamOptions> Upstreams { get; } =
        new Dictionary<string, MeshGatewayUpstreamOptions>(StringComparer.Ordinal);
}
