namespace MeshGateway.Naming;

/// <summary>
/// The parts of a parsed Consul SNI as slices of the parsed text (no copies). Parts that do not apply to the
/// <see cref="Kind"/> are empty; <see cref="Partition"/> is <c>default</c> for names in the short <c>internal</c> form.
/// Produced by <see cref="ConsulSniParser"/>; call <see cref="ToName"/> to keep the parts as strings.
/// </summary>
public readonly ref struct ConsulSniView
{
    // The parsed text and where each part lies in it: small offsets keep the view cheap to create and copy.
    private readonly ReadOnlySpan<char> _name;
    private readonly LabelSlot _service;
    private readonly LabelSlot _subset;
    private readonly LabelSlot _namespace;
    private readonly LabelSlot _partition;
    private readonly LabelSlot _datacenter;
    private readonly LabelSlot _peer;
    private readonly LabelSlot _query;
    private readonly byte _trustDomainStart;

    internal ConsulSniView(
        ReadOnlySpan<char> name,
        ConsulSniKind kind,
        LabelSlot service,
        LabelSlot subset,
        LabelSlot @namespace,
        LabelSlot partition,
        LabelSlot datacenter,
        LabelSlot peer,
        LabelSlot query,
        int trustDomainStart)
    {
        _name = name;
        Kind = kind;
        _service = service;
        _subset = subset;
        _namespace = @namespace;
        _partition = partition;
        _datacenter = datacenter;
        _peer = peer;
        _query = query;
        _trustDomainStart = (byte)trustDomainStart;
    }

    /// <summary>The shape of the name; <see cref="ConsulSniKind.None"/> when parsing failed.</summary>
    public ConsulSniKind Kind { get; }

    /// <summary>The service (service and peered names).</summary>
    public ReadOnlySpan<char> Service => Slice(_service);

    /// <summary>The subset (service names with a subset).</summary>
    public ReadOnlySpan<char> Subset => Slice(_subset);

    /// <summary>The namespace (service and peered names).</summary>
    public ReadOnlySpan<char> Namespace => Slice(_namespace);

    /// <summary>The partition (service, gateway and peered names); <c>default</c> for the short <c>internal</c> form.</summary>
    public ReadOnlySpan<char> Partition =>
        _partition.Length == 0 && Kind is ConsulSniKind.Service or ConsulSniKind.Gateway
            ? ConsulSniLabels.Default
            : Slice(_partition);

    /// <summary>The datacenter (service, gateway and prepared-query names).</summary>
    public ReadOnlySpan<char> Datacenter => Slice(_datacenter);

    /// <summary>The peer (peered names).</summary>
    public ReadOnlySpan<char> Peer => Slice(_peer);

    /// <summary>The prepared query (prepared-query names).</summary>
    public ReadOnlySpan<char> Query => Slice(_query);

    /// <summary>The trust domain, as written in the name.</summary>
    public ReadOnlySpan<char> TrustDomain => Kind == ConsulSniKind.None ? default : _name[_trustDomainStart..];

    /// <summary>Copies the parts into a <see cref="ConsulSniName"/> (allocates the part strings).</summary>
    /// <returns>The name; a default value when <see cref="Kind"/> is <see cref="ConsulSniKind.None"/>.</returns>
    public ConsulSniName ToName() => Kind == ConsulSniKind.None
        ? default
        : ConsulSniName.FromParsed(
            Kind, Text(Service), Text(Subset), Text(Namespace), Text(Partition), Text(Datacenter), Text(Peer), Text(Query),
            TrustDomain.ToString());

    private ReadOnlySpan<char> Slice(LabelSlot slot) => slot.Length == 0 ? default : _name.Slice(slot.Start, slot.Length);

    private static string? Text(ReadOnlySpan<char> part) =>
        part.IsEmpty ? null
        : part.SequenceEqual(ConsulSniLabels.Default) ? ConsulSniLabels.Default
        : part.ToString();
}

/// <summary>Where one label lies in a name of at most 253 characters; a length of 0 means absent.</summary>
internal readonly record struct LabelSlot(byte Start, byte Length);
