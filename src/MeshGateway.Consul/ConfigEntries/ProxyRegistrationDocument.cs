using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using MeshGateway.Consul.Json;
using MeshGateway.Consul.Registration;
using MeshGateway.Modes.ConfigEntries;

namespace MeshGateway.Consul.ConfigEntries;

/// <summary>
/// A <c>connect-proxy</c> registration from the agent or the catalog, rewritten as the registration body
/// <see cref="ConsulConfigReader"/> reads (<c>{"Kind":"connect-proxy","Name":…,"Proxy":…}</c>, the <c>Proxy</c> block
/// copied as it came), with the destination service it fronts and, from the catalog, its datacenter.
/// </summary>
/// <param name="Source">The document, named after the request it came from.</param>
/// <param name="Destination">The service the proxy fronts (<c>Proxy.DestinationServiceName</c>), or null.</param>
/// <param name="Datacenter">The datacenter the catalog gives, or null.</param>
internal sealed record ProxyRegistrationDocument(ConsulConfigSource Source, string? Destination, string? Datacenter)
{
    /// <summary><c>GET /v1/agent/service/:id</c>: the registration when the service is a <c>connect-proxy</c>, else null.</summary>
    public static ProxyRegistrationDocument? FromAgent(string path, byte[] body)
    {
        AgentServiceJson? agent = Deserialize(body, ConsulApiJsonContext.Default.AgentServiceJson, path);
        return agent is { Kind: "connect-proxy" }
            ? Create("GET " + path, agent.Service ?? agent.ID ?? "", agent.Namespace, agent.Partition, agent.Proxy, null)
            : null;
    }

    /// <summary>
    /// <c>GET /v1/catalog/connect/:service</c> or <c>/v1/catalog/service/:service</c>: the first <c>connect-proxy</c>
    /// instance (instances of one proxy are registered alike), else null.
    /// </summary>
    public static ProxyRegistrationDocument? FromCatalog(string path, byte[] body)
    {
        List<CatalogServiceJson>? instances = Deserialize(body, ConsulApiJsonContext.Default.ListCatalogServiceJson, path);
        if (instances?.Find(i => i is { ServiceKind: "connect-proxy" }) is not { } instance)
        {
            return null;
        }

        string source = "GET " + path + (instance.ServiceID is { } id ? " (instance " + id + ")" : "");
        return Create(
            source, instance.ServiceName ?? "", instance.Namespace, instance.Partition, instance.ServiceProxy,
            string.IsNullOrEmpty(instance.Datacenter) ? null : instance.Datacenter);
    }

    /// <summary>Reads an agent answer; a body that is not the JSON Consul sends is a <see cref="ConsulRequestException"/>.</summary>
    public static T? Deserialize<T>(byte[] body, JsonTypeInfo<T> type, string path)
    {
        try
        {
            return JsonSerializer.Deserialize(body, type);
        }
        catch (JsonException e)
        {
            throw new ConsulRequestException($"GET {path}: the answer is not the JSON Consul sends: {e.Message}", null, e);
        }
    }

    private static ProxyRegistrationDocument Create(string source, string name, string? @namespace, string? partition, JsonElement? proxy, string? datacenter)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("Kind", "connect-proxy");
            writer.WriteString("Name", name);
            if (!string.IsNullOrEmpty(@namespace))
            {
                writer.WriteString("Namespace", @namespace);
            }

            if (!string.IsNullOrEmpty(partition))
            {
                writer.WriteString("Partition", partition);
            }

            if (proxy is { } block)
            {
                writer.WritePropertyName("Proxy");
                block.WriteTo(writer);
            }

            writer.WriteEndObject();
        }

        string? destination = proxy is { ValueKind: JsonValueKind.Object } p
            && p.TryGetProperty("DestinationServiceName", out JsonElement value)
            && value.ValueKind == JsonValueKind.String
                ? value.GetString()
                : null;
        return new ProxyRegistrationDocument(new ConsulConfigSource(source, buffer.WrittenMemory.ToArray(), ConsulConfigFormat.Json), destination, datacenter);
    }
}
