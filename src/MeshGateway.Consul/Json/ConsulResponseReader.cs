using System.Text.Json;
using MeshGateway.Consul.Json;
using MeshGateway.Consul.Watch;

namespace MeshGateway.Consul.Json;

/// <summary>
/// Turns the agent's JSON answers into the snapshot's values. Every answer is untrusted input: a malformed body is a
/// <see cref="JsonException"/> (the query failed), an instance without a usable address or port is skipped.
/// </summary>
internal static class ConsulResponseReader
{
    /// <summary><c>GET /v1/catalog/services</c>: service name → tags.</summary>
    public static IReadOnlyDictionary<string, List<string>> ReadServices(ReadOnlySpan<byte> json) =>
        JsonSerializer.Deserialize(json, ConsulApiJsonContext.Default.DictionaryStringListString)
        ?? throw new JsonException("expected an object of service names, found null");

    /// <summary><c>GET /v1/catalog/datacenters</c>: datacenter names.</summary>
    public static IReadOnlyList<string> ReadDatacenters(ReadOnlySpan<byte> json) =>
        (JsonSerializer.Deserialize(json, ConsulApiJsonContext.Default.ListString)
            ?? throw new JsonException("expected an array of datacenter names, found null"))
        .Where(dc => !string.IsNullOrEmpty(dc)).ToArray();

    /// <summary><c>GET /v1/connect/ca/roots</c>: the trust domain, or null when absent.</summary>
    public static string? ReadTrustDomain(ReadOnlySpan<byte> json)
    {
        string? domain = JsonSerializer.Deserialize(json, ConsulApiJsonContext.Default.CaRootsJson)?.TrustDomain;
        return string.IsNullOrWhiteSpace(domain) ? null : domain;
    }

    /// <summary><c>GET /v1/health/connect/:service?passing</c>: the instances to dial for <paramref name="service"/>.</summary>
    public static List<ConsulServiceEndpoint> ReadConnectEndpoints(string service, ReadOnlySpan<byte> json)
    {
        var endpoints = new List<ConsulServiceEndpoint>();
        foreach (HealthEntryJson entry in ReadHealth(json))
        {
            if (entry.Service is not { } instance || entry.Node is not { } node || !IsPort(instance.Port))
            {
                continue;
            }

            string? host = FirstAddress(instance.Address, node.Address);
            if (host is null)
            {
                continue;
            }

            endpoints.Add(new ConsulServiceEndpoint(
                service, Blank(instance.Namespace), Blank(instance.Partition), node.Node ?? "", instance.ID ?? instance.Service ?? service, host, instance.Port)
            {
                Tags = instance.Tags?.Where(t => t is not null).ToArray() ?? [],
                Meta = ReadOnly(instance.Meta),
                NodeMeta = ReadOnly(node.Meta),
                NodeAddress = Blank(node.Address),
            });
        }

        return endpoints;
    }

    /// <summary>
    /// <c>GET /v1/health/service/:gateway?dc=…&amp;passing</c>: the gateways of <paramref name="datacenter"/>, each at the
    /// service's <c>wan</c> tagged address, else the node's <c>wan</c> tagged address (with the service port), else the
    /// service address, else the node address.
    /// </summary>
    public static List<ConsulGatewayEndpoint> ReadGateways(string datacenter, ReadOnlySpan<byte> json)
    {
        var gateways = new List<ConsulGatewayEndpoint>();
        foreach (HealthEntryJson entry in ReadHealth(json))
        {
            if (entry.Service is not { } instance || entry.Node is not { } node)
            {
                continue;
            }

            string? host;
            int port = instance.Port;
            if (instance.TaggedAddresses?.GetValueOrDefault("wan") is { Address: { Length: > 0 } wanAddress } wan)
            {
                host = wanAddress;
                port = wan.Port;
            }
            else
            {
                host = FirstAddress(node.TaggedAddresses?.GetValueOrDefault("wan"), instance.Address, node.Address);
            }

            if (host is null || !IsPort(port))
            {
                continue;
            }

            gateways.Add(new ConsulGatewayEndpoint(datacenter, node.Node ?? "", instance.ID ?? instance.Service ?? "", host, port));
        }

        return gateways;
    }

    /// <summary>
    /// <c>GET /v1/config/service-resolver</c>: the resolvers that declare subsets, by service name. A subset without a
    /// filter selects every instance.
    /// </summary>
    public static List<ConsulServiceResolver> ReadServiceResolvers(ReadOnlySpan<byte> json)
    {
        var resolvers = new List<ConsulServiceResolver>();
        foreach (ServiceResolverJson? entry in JsonSerializer.Deserialize(json, ConsulApiJsonContext.Default.ListServiceResolverJson) ?? [])
        {
            if (entry is not { Name: { Length: > 0 } name })
            {
                continue;
            }

            var subsets = new Dictionary<string, ConsulServiceSubset>(StringComparer.Ordinal);
            foreach ((string subset, ServiceResolverSubsetJson? definition) in entry.Subsets ?? [])
            {
                subsets[subset] = new ConsulServiceSubset(definition?.Filter ?? "", definition?.OnlyPassing ?? false);
            }

            resolvers.Add(new ConsulServiceResolver(name, Blank(entry.Namespace), Blank(entry.DefaultSubset), subsets.AsReadOnly()));
        }

        return resolvers;
    }

    private static System.Collections.ObjectModel.ReadOnlyDictionary<string, string> ReadOnly(Dictionary<string, string>? map) =>
        map is null ? new Dictionary<string, string>(StringComparer.Ordinal).AsReadOnly()
            : new Dictionary<string, string>(map.Where(p => p.Value is not null), StringComparer.Ordinal).AsReadOnly();

    private static List<HealthEntryJson> ReadHealth(ReadOnlySpan<byte> json) =>
        JsonSerializer.Deserialize(json, ConsulApiJsonContext.Default.ListHealthEntryJson)
        ?? throw new JsonException("expected an array of health entries, found null");

    private static string? FirstAddress(params ReadOnlySpan<string?> candidates)
    {
        foreach (string? candidate in candidates)
        {
            if (!string.IsNullOrWhiteSpace(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    private static string? Blank(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static bool IsPort(int port) => port is > 0 and <= 65535;
}
