using System.Text.Json;
using System.Text.Json.Serialization;

namespace MeshGateway.Modes.ConfigEntries.Json;

// The JSON shapes read by ConsulConfigReader. Names match case-insensitively (as Go's encoding/json does), and
// each CamelCase field of Consul's HTTP API has a snake_case twin for the agent-configuration form; when both
// are present the CamelCase one wins (Consul <c>agent/structs/connect_proxy_config.go</c>). Unknown fields are ignored, as Consul ignores them.
// Modes are kept as raw JSON so a wrong type is reported with the other errors instead of ending the read.

/// <summary>
/// The whole file: config entries plus service registrations; or, with a top-level <c>Kind</c>, one config entry or
/// one service registration body, read again as <see cref="ConfigEntryJson"/> or <see cref="ServiceJson"/>.
/// </summary>
internal sealed class EntriesFileJson
{
    public string? Kind { get; set; }

    public string? Datacenter { get; set; }

    public string? Partition { get; set; }

    public List<ConfigEntryJson?>? ConfigEntries { get; set; }

    [JsonPropertyName("config_entries")]
    public ConfigEntriesBlockJson? ConfigEntriesBlock { get; set; }

    public List<ServiceJson?>? Services { get; set; }

    public ServiceJson? Service { get; set; }
}

/// <summary>Agent configuration's <c>config_entries { bootstrap = [...] }</c>.</summary>
internal sealed class ConfigEntriesBlockJson
{
    public List<ConfigEntryJson?>? Bootstrap { get; set; }
}

/// <summary>A <c>proxy-defaults</c> or <c>service-defaults</c> entry (other kinds are read and ignored).</summary>
internal sealed class ConfigEntryJson
{
    public string? Kind { get; set; }

    public string? Name { get; set; }

    public string? Namespace { get; set; }

    public string? Partition { get; set; }

    public MeshGatewayJson? MeshGateway { get; set; }

    [JsonPropertyName("mesh_gateway")]
    public MeshGatewayJson? MeshGatewaySnake { get; set; }

    public UpstreamConfigJson? UpstreamConfig { get; set; }

    [JsonPropertyName("upstream_config")]
    public UpstreamConfigJson? UpstreamConfigSnake { get; set; }

    [JsonPropertyName("ExternalSNI")]
    public string? ExternalSni { get; set; }

    [JsonPropertyName("external_sni")]
    public string? ExternalSniSnake { get; set; }

    /// <summary>proxy-defaults' opaque <c>Config</c> map; only its <c>mesh_gateway</c> key is read.</summary>
    public JsonElement? Config { get; set; }
}

/// <summary><c>MeshGateway { Mode }</c> / <c>mesh_gateway { mode }</c>.</summary>
internal sealed class MeshGatewayJson
{
    public JsonElement? Mode { get; set; }
}

/// <summary>service-defaults <c>UpstreamConfig</c>.</summary>
internal sealed class UpstreamConfigJson
{
    public UpstreamConfigItemJson? Defaults { get; set; }

    public List<UpstreamConfigItemJson?>? Overrides { get; set; }
}

/// <summary>One <c>UpstreamConfig.Defaults</c> or <c>UpstreamConfig.Overrides[]</c> item.</summary>
internal sealed class UpstreamConfigItemJson
{
    public string? Name { get; set; }

    public string? Namespace { get; set; }

    public string? Partition { get; set; }

    public string? Peer { get; set; }

    public MeshGatewayJson? MeshGateway { get; set; }

    [JsonPropertyName("mesh_gateway")]
    public MeshGatewayJson? MeshGatewaySnake { get; set; }
}

/// <summary>A service registration: HTTP API (<c>PUT /v1/agent/service/register</c>) or agent-configuration form.</summary>
internal sealed class ServiceJson
{
    public string? Kind { get; set; }

    public string? Name { get; set; }

    public string? Namespace { get; set; }

    public string? Partition { get; set; }

    public ProxyJson? Proxy { get; set; }

    public ConnectJson? Connect { get; set; }
}

/// <summary><c>Connect</c> / <c>connect</c>.</summary>
internal sealed class ConnectJson
{
    public ServiceJson? SidecarService { get; set; }

    [JsonPropertyName("sidecar_service")]
    public ServiceJson? SidecarServiceSnake { get; set; }
}

/// <summary><c>Proxy</c> / <c>proxy</c> of a connect-proxy registration or a sidecar service.</summary>
internal sealed class ProxyJson
{
    /// <summary>The proxy mode: <c>""</c>, <c>direct</c> or <c>transparent</c>.</summary>
    public string? Mode { get; set; }

    public string? DestinationServiceName { get; set; }

    [JsonPropertyName("destination_service_name")]
    public string? DestinationServiceNameSnake { get; set; }

    public MeshGatewayJson? MeshGateway { get; set; }

    [JsonPropertyName("mesh_gateway")]
    public MeshGatewayJson? MeshGatewaySnake { get; set; }

    public List<UpstreamJson?>? Upstreams { get; set; }
}

/// <summary>One upstream of a proxy.</summary>
internal sealed class UpstreamJson
{
    public string? DestinationType { get; set; }

    [JsonPropertyName("destination_type")]
    public string? DestinationTypeSnake { get; set; }

    public string? DestinationName { get; set; }

    [JsonPropertyName("destination_name")]
    public string? DestinationNameSnake { get; set; }

    public string? DestinationNamespace { get; set; }

    [JsonPropertyName("destination_namespace")]
    public string? DestinationNamespaceSnake { get; set; }

    public string? DestinationPartition { get; set; }

    [JsonPropertyName("destination_partition")]
    public string? DestinationPartitionSnake { get; set; }

    public string? DestinationPeer { get; set; }

    [JsonPropertyName("destination_peer")]
    public string? DestinationPeerSnake { get; set; }

    public string? Datacenter { get; set; }

    public MeshGatewayJson? MeshGateway { get; set; }

    [JsonPropertyName("mesh_gateway")]
    public MeshGatewayJson? MeshGatewaySnake { get; set; }
}

/// <summary>Source-generated System.Text.Json metadata (no reflection; trimming and AOT safe).</summary>
[JsonSourceGenerationOptions(
    PropertyNameCaseInsensitive = true,
    ReadCommentHandling = JsonCommentHandling.Skip,
    AllowTrailingCommas = true)]
[JsonSerializable(typeof(EntriesFileJson))]
[JsonSerializable(typeof(ConfigEntryJson))]
[JsonSerializable(typeof(ServiceJson))]
internal sealed partial class ConsulJsonContext : JsonSerializerContext;
