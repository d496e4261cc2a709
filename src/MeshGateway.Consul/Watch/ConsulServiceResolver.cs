namespace MeshGateway.Consul.Watch;

/// <summary>
/// A <c>service-resolver</c> config entry, reduced to what a mesh gateway routes by: its subsets
/// (<c>GET /v1/config/service-resolver</c>).
/// </summary>
/// <param name="Service">The service it configures (<c>Name</c>).</param>
/// <param name="Namespace">Its namespace when the API gives one (Consul Enterprise), else null.</param>
/// <param name="DefaultSubset">The subset the plain service name routes to (<c>DefaultSubset</c>), or null for every instance.</param>
/// <param name="Subsets">The subsets by name (<c>Subsets</c>).</param>
public sealed record ConsulServiceResolver(string Service, string? Namespace, string? DefaultSubset, IReadOnlyDictionary<string, ConsulServiceSubset> Subsets)
{
    /// <inheritdoc/>
    public bool Equals(ConsulServiceResolver? other) =>
        other is not null
        && (Service, Namespace, DefaultSubset) == (other.Service, other.Namespace, other.DefaultSubset)
        && Subsets.Count == other.Subsets.Count
        && Subsets.All(pair => other.Subsets.TryGetValue(pair.Key, out ConsulServiceSubset? subset) && pair.Value == subset);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Service, Namespace, DefaultSubset, Subsets.Count);
}

/// <summary>One subset of a <c>service-resolver</c>: the instances its filter selects.</summary>
/// <param name="Filter">The filter expression (Consul's filter language); empty selects every instance.</param>
/// <param name="OnlyPassing">
/// Only instances whose checks all pass (<c>OnlyPassing</c>). The gateway watches passing instances only, so a subset
/// without it routes to its passing instances too.
/// </param>
public sealed record ConsulServiceSubset(string Filter, bool OnlyPassing);
