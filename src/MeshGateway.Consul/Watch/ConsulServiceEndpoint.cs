namespace MeshGateway.Consul.Watch;

/// <summary>
/// One passing, Connect-capable instance of a local service (a sidecar proxy or a Connect-native instance) as
/// <c>GET /v1/health/connect/:service?passing</c> returns it: where the gateway dials to reach the service, and what a
/// <c>service-resolver</c> subset filter selects it by. Equality compares every value, the tags and metadata included.
/// </summary>
/// <param name="Service">The destination service name.</param>
/// <param name="Namespace">The instance's namespace when the API gives one (Consul Enterprise), else null.</param>
/// <param name="Partition">The instance's admin partition when the API gives one (Consul Enterprise), else null.</param>
/// <param name="Node">The node the instance runs on.</param>
/// <param name="ServiceId">The instance's service ID (for example <c>web-sidecar-proxy</c>).</param>
/// <param name="Host">The address to dial: the service address, else the node address.</param>
/// <param name="Port">The port to dial.</param>
public sealed record ConsulServiceEndpoint(string Service, string? Namespace, string? Partition, string Node, string ServiceId, string Host, int Port)
{
    private static readonly IReadOnlyDictionary<string, string> NoMeta = new Dictionary<string, string>(StringComparer.Ordinal).AsReadOnly();

    /// <summary>The instance's tags (<c>Service.Tags</c>; a sidecar inherits its service's).</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>The instance's metadata (<c>Service.Meta</c>; a sidecar inherits its service's).</summary>
    public IReadOnlyDictionary<string, string> Meta { get; init; } = NoMeta;

    /// <summary>The node's metadata (<c>Node.Meta</c>).</summary>
    public IReadOnlyDictionary<string, string> NodeMeta { get; init; } = NoMeta;

    /// <summary>The node's address (<c>Node.Address</c>), or null when the API gave none.</summary>
    public string? NodeAddress { get; init; }

    /// <inheritdoc/>
    public bool Equals(ConsulServiceEndpoint? other) =>
        other is not null
        && (Service, Namespace, Partition, Node, ServiceId, Host, Port, NodeAddress)
            == (other.Service, other.Namespace, other.Partition, other.Node, other.ServiceId, other.Host, other.Port, other.NodeAddress)
        && Tags.SequenceEqual(other.Tags, StringComparer.Ordinal)
        && SameMap(Meta, other.Meta)
        && SameMap(NodeMeta, other.NodeMeta);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Service, Namespace, Partition, Node, ServiceId, Host, Port);

    private static bool SameMap(IReadOnlyDictionary<string, string> a, IReadOnlyDictionary<string, string> b) =>
        a.Count == b.Count && a.All(pair => b.TryGetValue(pair.Key, out string? value) && string.Equals(value, pair.Value, StringComparison.Ordinal));
}
