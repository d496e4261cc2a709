using System.Diagnostics.CodeAnalysis;

namespace MeshGateway.Naming;

/// <summary>
/// One Consul SNI, held as its parts: what the builders produce and what the parser returns. Formatting with
/// <see cref="TryFormat(Span{char}, out int)"/> never allocates; <see cref="ToString()"/> allocates the name.
/// </summary>
/// <remarks>
/// Rules from Consul's <c>agent/connect/sni.go</c> (spec §2.2): labels are dot-joined without escaping or
/// lower-casing; an empty namespace or partition becomes <c>default</c>; the namespace label is always present;
/// the partition label is present only when the partition is not exactly <c>default</c> (ordinal compare), in
/// which case the marker is <c>internal-v1</c> instead of <c>internal</c>.
/// Unlike Consul, which validates nothing, the factories reject a part that contains a dot (it would make the
/// name ambiguous and break gateway routing) and a required part that is empty (it would produce an empty label).
/// Parts are stored normalised: <see cref="Namespace"/> and <see cref="Partition"/> are never empty where they
/// apply, and parts that do not apply to the <see cref="Kind"/> are <see langword="null"/>.
/// </remarks>
public readonly struct ConsulSniName : IEquatable<ConsulSniName>, ISpanFormattable
{
    private ConsulSniName(
        ConsulSniKind kind,
        string? service,
        string? subset,
        string? @namespace,
        string? partition,
        string? datacenter,
        string? peer,
        string? query,
        string trustDomain)
    {
        Kind = kind;
        Service = service;
        Subset = subset;
        Namespace = @namespace;
        Partition = partition;
        Datacenter = datacenter;
        Peer = peer;
        Query = query;
        _trustDomain = trustDomain;
    }

    /// <summary>Which shape of name this is; <see cref="ConsulSniKind.None"/> for a default value.</summary>
    public ConsulSniKind Kind { get; }

    /// <summary>The service name (service and peered names), else <see langword="null"/>.</summary>
    public string? Service { get; }

    /// <summary>The service-resolver subset (service names with a subset), else <see langword="null"/>.</summary>
    public string? Subset { get; }

    /// <summary>The namespace (service and peered names; <c>default</c> when none was given), else <see langword="null"/>.</summary>
    public string? Namespace { get; }

    /// <summary>The admin partition (service, gateway and peered names; <c>default</c> when none was given), else <see langword="null"/>.</summary>
    public string? Partition { get; }

    /// <summary>The datacenter (service, gateway and prepared-query names), else <see langword="null"/>.</summary>
    public string? Datacenter { get; }

    /// <summary>The cluster peer the service is exported to (peered names), else <see langword="null"/>.</summary>
    public string? Peer { get; }

    /// <summary>The prepared query's name (prepared-query names), else <see langword="null"/>.</summary>
    public string? Query { get; }

    /// <summary>The trust domain, for example <c>11111111-2222-3333-4444-555555555555.consul</c>; empty for a default value.</summary>
    public string TrustDomain => _trustDomain ?? string.Empty;

    private readonly string? _trustDomain;

    /// <summary>
    /// <see langword="true"/> when the name uses the partition-qualified <c>internal-v1</c> form (a service or
    /// gateway in a partition other than exactly <c>default</c>).
    /// </summary>
    public bool IsPartitionQualified =>
        Kind is ConsulSniKind.Service or ConsulSniKind.Gateway
        && !string.Equals(Partition, ConsulSniLabels.Default, StringComparison.Ordinal);

    /// <summary>The number of characters <see cref="TryFormat(Span{char}, out int)"/> writes.</summary>
    public int Length
    {
        get
        {
            var writer = LabelWriter.Counting();
            Write(ref writer);
            return writer.Position;
        }
    }

    /// <summary>
    /// A service (or service subset) name, as Consul's <c>ServiceSNI</c>:
    /// <c>[subset.]service.namespace.datacenter.internal.td</c> when <paramref name="partition"/> is empty or exactly
    /// <c>default</c>, else <c>[subset.]service.namespace.partition.datacenter.internal-v1.td</c>.
    /// </summary>
    /// <param name="service">The service name; required.</param>
    /// <param name="subset">The subset, or <see langword="null"/>/empty for none.</param>
    /// <param name="namespace">The namespace; <see langword="null"/>/empty means <c>default</c>.</param>
    /// <param name="partition">The partition; <see langword="null"/>/empty means <c>default</c>.</param>
    /// <param name="datacenter">The datacenter; required.</param>
    /// <param name="trustDomain">The trust domain; required.</param>
    /// <exception cref="ArgumentException">A required part is empty, a part contains a dot, or the trust domain has an empty label.</exception>
    public static ConsulSniName ForService(
        string service, string? subset, string? @namespace, string? partition, string datacenter, string trustDomain)
    {
        Guard.Label(service, nameof(service));
        Guard.OptionalLabel(subset, nameof(subset));
        Guard.OptionalLabel(@namespace, nameof(@namespace));
        Guard.OptionalLabel(partition, nameof(partition));
        Guard.Label(datacenter, nameof(datacenter));
        Guard.TrustDomain(trustDomain, nameof(trustDomain));
        return new ConsulSniName(
            ConsulSniKind.Service, service, NullIfEmpty(subset), DefaultIfEmpty(@namespace), DefaultIfEmpty(partition),
            datacenter, peer: null, query: null, trustDomain);
    }

    /// <summary>
    /// The name of a datacenter/partition's mesh gateways, as Consul's <c>GatewaySNI</c>: <c>datacenter.internal.td</c>
    /// when <paramref name="partition"/> is empty or exactly <c>default</c>, else <c>partition.datacenter.internal-v1.td</c>.
    /// Every service name of that datacenter/partition ends with <c>.</c> + this name.
    /// </summary>
    /// <param name="datacenter">The datacenter; required.</param>
    /// <param name="partition">The partition; <see langword="null"/>/empty means <c>default</c>.</param>
    /// <param name="trustDomain">The trust domain; required.</param>
    /// <exception cref="ArgumentException">A required part is empty, a part contains a dot, or the trust domain has an empty label.</exception>
    public static ConsulSniName ForGateway(string datacenter, string? partition, string trustDomain)
    {
        Guard.Label(datacenter, nameof(datacenter));
        Guard.OptionalLabel(partition, nameof(partition));
        Guard.TrustDomain(trustDomain, nameof(trustDomain));
        return new ConsulSniName(
            ConsulSniKind.Gateway, service: null, subset: null, @namespace: null, DefaultIfEmpty(partition), datacenter,
            peer: null, query: null, trustDomain);
    }

    /// <summary>A prepared query's name, as Consul's <c>QuerySNI</c>: <c>query.default.datacenter.query.td</c>.</summary>
    /// <param name="query">The prepared query's name; required.</param>
    /// <param name="datacenter">The datacenter; required.</param>
    /// <param name="trustDomain">The trust domain; required.</param>
    /// <exception cref="ArgumentException">A required part is empty, a part contains a dot, or the trust domain has an empty label.</exception>
    public static ConsulSniName ForPreparedQuery(string query, string datacenter, string trustDomain)
    {
        Guard.Label(query, nameof(query));
        Guard.Label(datacenter, nameof(datacenter));
        Guard.TrustDomain(trustDomain, nameof(trustDomain));
        return new ConsulSniName(
            ConsulSniKind.PreparedQuery, service: null, subset: null, @namespace: null, partition: null, datacenter,
            peer: null, query, trustDomain);
    }

    /// <summary>
    /// A service exported to a cluster peer, as Consul's <c>PeeredServiceSNI</c>:
    /// <c>service.namespace.partition.peer.external.td</c>, every label present.
    /// </summary>
    /// <param name="service">The service name; required.</param>
    /// <param name="namespace">The namespace; <see langword="null"/>/empty means <c>default</c>.</param>
    /// <param name="partition">The partition; <see langword="null"/>/empty means <c>default</c>.</param>
    /// <param name="peer">The peer name; required (Consul panics without it).</param>
    /// <param name="trustDomain">The trust domain; required.</param>
    /// <exception cref="ArgumentException">A required part is empty, a part contains a dot, or the trust domain has an empty label.</exception>
    public static ConsulSniName ForPeeredService(
        string service, string? @namespace, string? partition, string peer, string trustDomain)
    {
        if (string.IsNullOrEmpty(peer))
        {
            // Consul's wording (PeeredServiceSNI panics with it).
            throw new ArgumentException(
                "peer name is a requirement for this function and does not make sense without it", nameof(peer));
        }

        Guard.Label(service, nameof(service));
        Guard.OptionalLabel(@namespace, nameof(@namespace));
        Guard.OptionalLabel(partition, nameof(partition));
        Guard.Label(peer, nameof(peer));
        Guard.TrustDomain(trustDomain, nameof(trustDomain));
        return new ConsulSniName(
            ConsulSniKind.Peered, service, subset: null, DefaultIfEmpty(@namespace), DefaultIfEmpty(partition),
            datacenter: null, peer, query: null, trustDomain);
    }

    /// <summary>
    /// The name a sidecar sends for one of its upstreams, as Consul's <c>UpstreamSNI</c>: the upstream's own
    /// datacenter replaces <paramref name="datacenter"/> when set; a prepared-query upstream gets a prepared-query
    /// name (namespace and partition ignored); any other upstream gets a service name. The peer is ignored, as in Consul.
    /// </summary>
    /// <param name="upstream">The upstream as declared on the proxy.</param>
    /// <param name="subset">The subset, or <see langword="null"/>/empty for none (ignored for prepared queries).</param>
    /// <param name="datacenter">The local datacenter, used when the upstream names none.</param>
    /// <param name="trustDomain">The trust domain.</param>
    /// <exception cref="ArgumentException">A required part is empty or a part contains a dot.</exception>
    public static ConsulSniName ForUpstream(ConsulUpstream upstream, string? subset, string datacenter, string trustDomain)
    {
        ArgumentNullException.ThrowIfNull(upstream);
        string dc = string.IsNullOrEmpty(upstream.Datacenter) ? datacenter : upstream.Datacenter;
        return upstream.DestinationType == ConsulUpstreamDestinationType.PreparedQuery
            ? ForPreparedQuery(upstream.DestinationName, dc, trustDomain)
            : ForService(
                upstream.DestinationName, subset, upstream.DestinationNamespace, upstream.DestinationPartition, dc, trustDomain);
    }

    /// <summary>The name of a discovery-chain target, as Consul's <c>TargetSNI</c>: always a service name.</summary>
    /// <param name="target">The resolved target.</param>
    /// <param name="trustDomain">The trust domain.</param>
    /// <exception cref="ArgumentException">A required part is empty or a part contains a dot.</exception>
    public static ConsulSniName ForTarget(ConsulTarget target, string trustDomain)
    {
        ArgumentNullException.ThrowIfNull(target);
        return ForService(target.Service, target.ServiceSubset, target.Namespace, target.Partition, target.Datacenter, trustDomain);
    }

    /// <summary>Writes the name into <paramref name="destination"/> without allocating.</summary>
    /// <param name="destination">Where to write.</param>
    /// <param name="charsWritten">How many characters were written; 0 when <paramref name="destination"/> is too small (its content is then unspecified).</param>
    /// <returns><see langword="true"/> when the whole name fit.</returns>
    public bool TryFormat(Span<char> destination, out int charsWritten)
    {
        var writer = LabelWriter.Into(destination);
        Write(ref writer);
        charsWritten = writer.Overflowed ? 0 : writer.Position;
        return !writer.Overflowed;
    }

    /// <inheritdoc/>
    bool ISpanFormattable.TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format, IFormatProvider? provider) =>
        TryFormat(destination, out charsWritten);

    /// <summary>The name as a string (empty for a default value).</summary>
    /// <returns>The dot-joined name.</returns>
    public override string ToString() =>
        Kind == ConsulSniKind.None
            ? string.Empty
            : string.Create(Length, this, static (span, name) => name.TryFormat(span, out _));

    /// <inheritdoc/>
    string IFormattable.ToString(string? format, IFormatProvider? formatProvider) => ToString();

    /// <summary>
    /// Parses <paramref name="name"/> into its parts (see <see cref="ConsulSniParser.Parse"/> for the rules and the
    /// statuses). Allocates the part strings; use <see cref="ConsulSniParser"/> for a view that does not.
    /// </summary>
    /// <param name="name">The SNI; one trailing dot is accepted.</param>
    /// <param name="trustDomain">The expected trust domain, or <see langword="null"/>/empty to locate the marker instead.</param>
    /// <param name="result">The parsed name, or a default value.</param>
    /// <returns><see langword="true"/> when <paramref name="name"/> is a Consul SNI.</returns>
    public static bool TryParse(ReadOnlySpan<char> name, string? trustDomain, out ConsulSniName result) =>
        TryParse(name, trustDomain, out result, out _);

    /// <summary>As <see cref="TryParse(ReadOnlySpan{char}, string?, out ConsulSniName)"/>, also reporting why a name was rejected.</summary>
    /// <param name="name">The SNI; one trailing dot is accepted.</param>
    /// <param name="trustDomain">The expected trust domain, or <see langword="null"/>/empty to locate the marker instead.</param>
    /// <param name="result">The parsed name, or a default value.</param>
    /// <param name="status">Why the name was accepted or rejected.</param>
    /// <returns><see langword="true"/> when <paramref name="name"/> is a Consul SNI.</returns>
    public static bool TryParse(ReadOnlySpan<char> name, string? trustDomain, out ConsulSniName result, out ConsulSniStatus status)
    {
        status = ConsulSniParser.Parse(name, trustDomain.AsSpan(), out ConsulSniView view);
        result = status == ConsulSniStatus.Valid ? view.ToName() : default;
        return status == ConsulSniStatus.Valid;
    }

    /// <summary>Creates a name from parts already checked by the parser.</summary>
    internal static ConsulSniName FromParsed(
        ConsulSniKind kind, string? service, string? subset, string? @namespace, string? partition, string? datacenter,
        string? peer, string? query, string trustDomain) =>
        new(kind, service, subset, @namespace, partition, datacenter, peer, query, trustDomain);

    /// <summary>Checks every part against the rules Consul and DNS apply (see <see cref="ConsulNameValidation"/>), all at once.</summary>
    /// <returns>Every problem found, as a readable message; empty when the name is valid.</returns>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (Kind == ConsulSniKind.None)
        {
            errors.Add("the name is empty (a default ConsulSniName)");
            return errors;
        }

        Check(errors, "service", Service);
        Check(errors, "subset", Subset);
        Check(errors, "namespace", Namespace);
        Check(errors, "partition", Partition);
        Check(errors, "peer", Peer);
        Check(errors, "query", Query);
        if (Datacenter is not null)
        {
            ConsulNameError error = ConsulNameValidation.ValidateDatacenter(Datacenter);
            if (error != ConsulNameError.None)
            {
                errors.Add(ConsulNameValidation.Describe(error, "datacenter", Datacenter));
            }
        }

        ConsulNameError td = ConsulNameValidation.ValidateTrustDomain(TrustDomain);
        if (td != ConsulNameError.None)
        {
            errors.Add(ConsulNameValidation.Describe(td, "trust domain", TrustDomain));
        }

        int length = Length;
        if (length > ConsulNameValidation.MaxNameLength)
        {
            errors.Add(ConsulNameValidation.Describe(ConsulNameError.NameTooLong, "name", ToString()));
        }

        return errors;

        static void Check(List<string> errors, string what, string? value)
        {
            if (value is null)
            {
                return;
            }

            ConsulNameError error = ConsulNameValidation.ValidateLabel(value);
            if (error != ConsulNameError.None)
            {
                errors.Add(ConsulNameValidation.Describe(error, what, value));
            }
        }
    }

    /// <inheritdoc/>
    public bool Equals(ConsulSniName other) =>
        Kind == other.Kind
        && string.Equals(Service, other.Service, StringComparison.Ordinal)
        && string.Equals(Subset, other.Subset, StringComparison.Ordinal)
        && string.Equals(Namespace, other.Namespace, StringComparison.Ordinal)
        && string.Equals(Partition, other.Partition, StringComparison.Ordinal)
        && string.Equals(Datacenter, other.Datacenter, StringComparison.Ordinal)
        && string.Equals(Peer, other.Peer, StringComparison.Ordinal)
        && string.Equals(Query, other.Query, StringComparison.Ordinal)
        && string.Equals(TrustDomain, other.TrustDomain, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals([NotNullWhen(true)] object? obj) => obj is ConsulSniName other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = default(HashCode);
        hash.Add(Kind);
        hash.Add(Service, StringComparer.Ordinal);
        hash.Add(Subset, StringComparer.Ordinal);
        hash.Add(Namespace, StringComparer.Ordinal);
        hash.Add(Partition, StringComparer.Ordinal);
        hash.Add(Datacenter, StringComparer.Ordinal);
        hash.Add(Peer, StringComparer.Ordinal);
        hash.Add(Query, StringComparer.Ordinal);
        hash.Add(TrustDomain, StringComparer.Ordinal);
        return hash.ToHashCode();
    }

    /// <summary>Compares two names part by part (ordinal).</summary>
    /// <param name="left">The first name.</param>
    /// <param name="right">The second name.</param>
    /// <returns><see langword="true"/> when every part is equal.</returns>
    public static bool operator ==(ConsulSniName left, ConsulSniName right) => left.Equals(right);

    /// <summary>Compares two names part by part (ordinal).</summary>
    /// <param name="left">The first name.</param>
    /// <param name="right">The second name.</param>
    /// <returns><see langword="true"/> when any part differs.</returns>
    public static bool operator !=(ConsulSniName left, ConsulSniName right) => !left.Equals(right);

    private void Write(ref LabelWriter writer)
    {
        switch (Kind)
        {
            case ConsulSniKind.Service:
                writer.AppendOptional(Subset);
                writer.Append(Service!);
                writer.Append(Namespace!);
                if (IsPartitionQualified)
                {
                    writer.Append(Partition!);
                    writer.Append(Datacenter!);
                    writer.Append(ConsulSniLabels.InternalVersioned);
                }
                else
                {
                    writer.Append(Datacenter!);
                    writer.Append(ConsulSniLabels.Internal);
                }

                break;
            case ConsulSniKind.Gateway:
                if (IsPartitionQualified)
                {
                    writer.Append(Partition!);
                    writer.Append(Datacenter!);
                    writer.Append(ConsulSniLabels.InternalVersioned);
                }
                else
                {
                    writer.Append(Datacenter!);
                    writer.Append(ConsulSniLabels.Internal);
                }

                break;
            case ConsulSniKind.PreparedQuery:
                writer.Append(Query!);
                writer.Append(ConsulSniLabels.Default);
                writer.Append(Datacenter!);
                writer.Append(ConsulSniLabels.Query);
                break;
            case ConsulSniKind.Peered:
                writer.Append(Service!);
                writer.Append(Namespace!);
                writer.Append(Partition!);
                writer.Append(Peer!);
                writer.Append(ConsulSniLabels.External);
                break;
            default:
                return;
        }

        writer.Append(TrustDomain);
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static string DefaultIfEmpty(string? value) => string.IsNullOrEmpty(value) ? ConsulSniLabels.Default : value;

    /// <summary>Writes dot-separated labels, or only counts them.</summary>
    private ref struct LabelWriter
    {
        private readonly Span<char> _destination;
        private readonly bool _counting;

        private LabelWriter(Span<char> destination, bool counting)
        {
            _destination = destination;
            _counting = counting;
        }

        public int Position { get; private set; }

        /// <summary>Whether a label did not fit; nothing more is written after that.</summary>
        public bool Overflowed { get; private set; }

        public static LabelWriter Counting() => new(default, counting: true);

        public static LabelWriter Into(Span<char> destination) => new(destination, counting: false);

        public void AppendOptional(string? label)
        {
            if (!string.IsNullOrEmpty(label))
            {
                Append(label);
            }
        }

        public void Append(string label)
        {
            int separator = Position > 0 ? 1 : 0;
            if (_counting)
            {
                Position += separator + label.Length;
                return;
            }

            if (Overflowed || _destination.Length - Position < separator + label.Length)
            {
                Overflowed = true;
                return;
            }

            if (separator != 0)
            {
                _destination[Position] = '.';
            }

            label.CopyTo(_destination[(Position + separator)..]);
            Position += separator + label.Length;
        }
    }
}
