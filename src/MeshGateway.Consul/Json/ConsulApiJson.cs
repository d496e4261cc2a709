using System.Text.Json.Serialization;

namespace MeshGateway.Consul.Json;

// The response and request bodies of Consul's HTTP API that the source reads and writes, in Consul's own PascalCase.
// Fields the source does not use are not declared (System.Text.Json skips them), so new Consul fields never break it.

/// <summary>One entry of <c>GET /v1/health/connect/:service</c> and <c>GET /v1/health/service/:service</c>.</summary>
internal sealed class HealthEntryJson
{
    public HealthNodeJson? Node { get; set; }

    public HealthServiceJson? Service { get; set; }
}

/// <summary>The node of a health entry.</summary>
internal sealed class HealthNodeJson
{
    public string? Node { get; set; }

    public string? Address { get; set; }

    public string? Datacenter { get; set; }

    public Dictionary<string, string>? Meta { get; set; }

    /// <summary>The node's tagged addresses: plain strings (<c>"wan": "198.18.0.1"</c>).</summary>
    public Dictionary<string, string>? TaggedAddresses { get; set; }
}

/// <summary>The service instance of a health entry.</summary>
internal sealed class HealthServiceJson
{
    public string? ID { get; set; }

    public string? Service { get; set; }

    public string? Kind { get; set; }

    public string? Address { get; set; }

    public int Port { get; set; }

    public string? Namespace { get; set; }

    public string? Partition { get; set; }

    public List<string>? Tags { get; set; }

    public Dictionary<string, string>? Meta { get; set; }

    /// <summary>The service's tagged addresses: objects (<c>"wan": {"Address": "…", "Port": 443}</c>).</summary>
    public Dictionary<string, ServiceAddressJson>? TaggedAddresses { get; set; }

    public HealthProxyJson? Proxy { get; set; }
}

/// <summary>A service tagged address.</summary>
internal sealed class ServiceAddressJson
{
    public string? Address { get; set; }

    public int Port { get; set; }
}

/// <summary>The proxy block of a <c>connect-proxy</c> instance (the destination it fronts).</summary>
internal sealed class HealthProxyJson
{
    public string? DestinationServiceName { get; set; }
}

/// <summary>The body of <c>GET /v1/connect/ca/roots</c> (only the trust domain is read).</summary>
internal sealed class CaRootsJson
{
    public string? TrustDomain { get; set; }
}

/// <summary>The body of <c>PUT /v1/agent/service/register</c> for a mesh gateway.</summary>
internal sealed class ServiceRegistrationJson
{
    public string? ID { get; set; }

    public string? Name { get; set; }

    public string? Kind { get; set; }

    public string? Address { get; set; }

    public int Port { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Namespace { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Partition { get; set; }

    public Dictionary<string, ServiceAddressJson>? TaggedAddresses { get; set; }

    public RegistrationCheckJson? Check { get; set; }
}

/// <summary>The TCP check of a registration.</summary>
internal sealed class RegistrationCheckJson
{
    public string? Name { get; set; }

    public string? TCP { get; set; }

    public string? Interval { get; set; }

    public string? Timeout { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? DeregisterCriticalServiceAfter { get; set; }
}

/// <summary>
/// <c>GET /v1/agent/service/:service_id</c>: a service as the local agent holds it; for a <c>connect-proxy</c> its
/// <c>Proxy</c> block (kept as written, read by MeshGateway.Modes' registration reader).
/// </summary>
internal sealed class AgentServiceJson
{
    public string? Kind { get; set; }

    public string? ID { get; set; }

    public string? Service { get; set; }

    public string? Namespace { get; set; }

    public string? Partition { get; set; }

    public System.Text.Json.JsonElement? Proxy { get; set; }
}

/// <summary>One entry of <c>GET /v1/catalog/service/:service</c> (the <c>Service</c>-prefixed catalog form).</summary>
internal sealed class CatalogServiceJson
{
    public string? Datacenter { get; set; }

    public string? ServiceKind { get; set; }

    public string? ServiceID { get; set; }

    public string? ServiceName { get; set; }

    public string? Namespace { get; set; }

    public string? Partition { get; set; }

    public System.Text.Json.JsonElement? ServiceProxy { get; set; }
}

/// <summary><c>GET /v1/agent/self</c>: only the agent's datacenter is read.</summary>
internal sealed class AgentSelfJson
{
    public AgentSelfConfigJson? Config { get; set; }
}

/// <summary>The <c>Config</c> block of <c>GET /v1/agent/self</c>.</summary>
internal sealed class AgentSelfConfigJson
{
    public string? Datacenter { get; set; }
}

/// <summary>One entry of <c>GET /v1/config/service-resolver</c> (only what subsets need is read).</summary>
internal sealed class ServiceResolverJson
{
    public string? Kind { get; set; }

    public string? Name { get; set; }

    public string? Namespace { get; set; }

    public string? DefaultSubset { get; set; }

    public Dictionary<string, ServiceResolverSubsetJson?>? Subsets { get; set; }
}

/// <summary>A subset of a <c>service-resolver</c>.</summary>
internal sealed class ServiceResolverSubsetJson
{
    public string? Filter { get; set; }

    public bool OnlyPassing { get; set; }
}

/// <summary>Source-generated (trimming- and AOT-safe) serialization for the API bodies.</summary>
[JsonSourceGenerationOptions(PropertyNameCaseInsensitive = false)]
[JsonSerializable(typeof(List<HealthEntryJson>))]
[JsonSerializable(typeof(Dictionary<string, List<string>>))]
[JsonSerializable(typeof(List<string>))]
[JsonSerializable(typeof(CaRootsJson))]
[JsonSerializable(typeof(ServiceRegistrationJson))]
[JsonSerializable(typeof(AgentServiceJson))]
[JsonSerializable(typeof(List<CatalogServiceJson>))]
[JsonSerializable(typeof(AgentSelfJson))]
[JsonSerializable(typeof(List<ServiceResolverJson?>))]
internal sealed partial class ConsulApiJsonContext : JsonSerializerContext;
