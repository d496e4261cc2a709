namespace MeshGateway.Naming;

/// <summary>
/// The parts of a parsed Consul SNI as slices of the parsed text (no copies). Parts that do not apply to the
/// <see cref="Kind"/> are empty; <see cref="Partition"/> is <c>default</c> for names in the short <c>internal</c> form.
/// Produced by <see cref="ConsulSniParser"/>; call <see cref="ToName"/> to keep the parts as strings.
/// </summary>
public readonly ref struct ConsulSniView
{
    internal ConsulSniView(
        ConsulSniKind kind,
        ReadOnlySpan<char> service,
        ReadOnlySpan<char> subset,
        ReadOnlySpan<char> @namespace,
        ReadOnlySpan<char> partition,
        ReadOnlySpan<char> datacenter,
        ReadOnlySpan<char> peer,
        ReadOnlySpan<char> query,
        ReadOnlySpan<char> trustDomain)
    {
        Kind = kind;
        Service = service;
        Subset = subset;
        Namespace = @namespace;
        Partition = partition;
        Datacenter = datacenter;
        Peer = peer;
        Query = query;
        TrustDomain = trustDomain;
    }

    /// <summary>The shape of the name; <see cref="ConsulSniKind.None"/> when parsing failed.</summary>
    public ConsulSniKind Kind { get; }

    /// <summary>The service (service and peered names).</summary>
    public ReadOnlySpan<char> Service { get; }

    /// <summary>The subset (service names with a subset).</summary>
    public ReadOnlySpan<char> Subset { get; }

    /// <summary>The namespace (service and peered names).</summary>
    public ReadOnlySpan<char> Namespace { get; }

    /// <summary>The partition (service, gateway and peered names).</summary>
    public ReadOnlySpan<char> Partition { get; }

    /// <summary>The datacenter (service, gateway and prepared-query names).</summary>
    public ReadOnlySpan<char> Datacenter { get; }

    /// <summary>The peer (peered names).</summary>
    public ReadOnlySpan<char> Peer { get; }

    /// <summary>The prepared query (prepared-query names).</summary>
    public ReadOnlySpan<char> Query { get; }

    /// <summary>The trust domain, as written in the name.</summary>
    public ReadOnlySpan<char> TrustDomain { get; }

    /// <summary>Copies the parts into a <see cref="ConsulSniName"/> (allocates the part strings).</summary>
    /// <returns>The name; a default value when <see cref="Kind"/> is <see cref="ConsulSniKind.None"/>.</returns>
    public ConsulSniName ToName() => Kind == ConsulSniKind.None
        ? default
        : ConsulSniName.FromParsed(
            Kind, Text(Service), Text(Subset), Text(Namespace), Text(Partition), Text(Datacenter), Text(Peer), Text(Query),
            TrustDomain.ToString());

    private static string? Text(ReadOnlySpan<char> part) =>
        part.IsEmpty ? null
        : part.SequenceEqual(ConsulSniLabels.Default) ? ConsulSniLabels.Default
        : part.ToString();
}
