using System.Text;

namespace MeshGateway.Naming;

/// <summary>
/// Reads a name back into the parts Consul built it from (the inverse of <see cref="ConsulSniName"/>), without
/// allocating. Never throws on bad input: every rejection is a specific <see cref="ConsulSniStatus"/>.
/// </summary>
/// <remarks>
/// <para>One final dot is accepted. Labels must be 1 to 63 characters and the name at most 253.</para>
/// <para>With a trust domain, the name must end with <c>.</c> + the trust domain (ASCII case-insensitive); the label just
/// before it is the marker and the number of labels before the marker decides the shape. Without one, every label that
/// is a marker (<c>internal</c>, <c>internal-v1</c>, <c>query</c>, <c>external</c>, ASCII case-insensitive) is tried
/// as the boundary, from the right; the name is valid when exactly one reading fits and
/// <see cref="ConsulSniStatus.Ambiguous"/> when several do (a trust domain or a part that is itself a marker word).</para>
/// <para>Shapes (labels before the marker): <c>internal</c> 1 = gateway, 3 = service, 4 = subset + service;
/// <c>internal-v1</c> 2 = gateway, 4 = service, 5 = subset + service (partition never exactly <c>default</c>);
/// <c>query</c> 3 with <c>default</c> second = prepared query; <c>external</c> 4 = peered service.</para>
/// </remarks>
public static class ConsulSniParser
{
    // 253 characters hold at most 127 labels.
    private const int MaxLabels = 128;

    /// <summary>Parses <paramref name="name"/> as a Consul SNI.</summary>
    /// <param name="name">The name.</param>
    /// <param name="trustDomain">The expected trust domain, or empty to locate the marker instead.</param>
    /// <param name="view">The parts, slicing <paramref name="name"/>; default unless the status is <see cref="ConsulSniStatus.Valid"/>.</param>
    /// <returns>The outcome.</returns>
    public static ConsulSniStatus Parse(ReadOnlySpan<char> name, ReadOnlySpan<char> trustDomain, out ConsulSniView view)
    {
        view = default;
        if (!name.IsEmpty && name[^1] == '.')
        {
            name = name[..^1];
        }

        if (name.IsEmpty)
        {
            return ConsulSniStatus.Empty;
        }

        if (name.Length > ConsulNameValidation.MaxNameLength)
        {
            return ConsulSniStatus.NameTooLong;
        }

        Span<Range> labels = stackalloc Range[MaxLabels];
        int count = name.Split(labels, '.');
        labels = labels[..count];
        foreach (Range label in labels)
        {
            int length = label.GetOffsetAndLength(name.Length).Length;
            if (length == 0)
            {
                return ConsulSniStatus.EmptyLabel;
            }

            if (length > ConsulNameValidation.MaxLabelLength)
            {
                return ConsulSniStatus.LabelTooLong;
            }
        }

        if (!trustDomain.IsEmpty)
        {
            return ParseWithTrustDomain(name, labels, trustDomain, out view);
        }

        int readings = 0;
        ConsulSniStatus rightmostFailure = ConsulSniStatus.MissingMarker;
        for (int marker = count - 2; marker >= 0; marker--)
        {
            ConsulSniStatus status = Classify(name, labels, marker, out ConsulSniView candidate);
            if (status == ConsulSniStatus.Valid)
            {
                if (readings++ == 0)
                {
                    view = candidate;
                }
            }
            else if (status != ConsulSniStatus.MissingMarker && rightmostFailure == ConsulSniStatus.MissingMarker)
            {
                rightmostFailure = status;
            }
        }

        if (readings == 1)
        {
            return ConsulSniStatus.Valid;
        }

        view = default;
        if (readings > 1)
        {
            return ConsulSniStatus.Ambiguous;
        }

        return rightmostFailure == ConsulSniStatus.MissingMarker && IsMarker(name[labels[^1]])
            ? ConsulSniStatus.MissingTrustDomain
            : rightmostFailure;
    }

    /// <summary>Parses <paramref name="name"/> as a Consul SNI.</summary>
    /// <param name="name">The name.</param>
    /// <param name="trustDomain">The expected trust domain, or empty to locate the marker instead.</param>
    /// <param name="view">The parts, slicing <paramref name="name"/>.</param>
    /// <returns><see langword="true"/> when the status is <see cref="ConsulSniStatus.Valid"/>.</returns>
    public static bool TryParse(ReadOnlySpan<char> name, ReadOnlySpan<char> trustDomain, out ConsulSniView view) =>
        Parse(name, trustDomain, out view) == ConsulSniStatus.Valid;

    /// <summary>Says in a sentence why a name was rejected.</summary>
    /// <param name="status">The status.</param>
    /// <returns>A readable description.</returns>
    public static string Describe(ConsulSniStatus status) => status switch
    {
        ConsulSniStatus.Valid => "the name is a Consul SNI",
        ConsulSniStatus.Empty => "the name is empty",
        ConsulSniStatus.NameTooLong => "the name is longer than 253 characters",
        ConsulSniStatus.EmptyLabel => "the name has an empty label",
        ConsulSniStatus.LabelTooLong => "the name has a label longer than 63 characters",
        ConsulSniStatus.TrustDomainMismatch => "the name does not end with the given trust domain",
        ConsulSniStatus.MissingMarker => "the name has no internal, internal-v1, query or external label",
        ConsulSniStatus.MissingTrustDomain => "nothing follows the internal, internal-v1, query or external label to be the trust domain",
        ConsulSniStatus.WrongLabelCount => "the number of labels before the internal, internal-v1, query or external label fits no Consul SNI shape",
        ConsulSniStatus.QueryNamespaceNotDefault => "a prepared-query name must have \"default\" as its second label",
        ConsulSniStatus.DefaultPartitionInVersionedName => "an internal-v1 name cannot have the partition \"default\" (Consul uses the internal form for it)",
        ConsulSniStatus.Ambiguous => "the name reads as a Consul SNI in more than one way; give the trust domain",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    private static ConsulSniStatus ParseWithTrustDomain(
        ReadOnlySpan<char> name, scoped ReadOnlySpan<Range> labels, ReadOnlySpan<char> trustDomain, out ConsulSniView view)
    {
        view = default;
        if (trustDomain[^1] == '.')
        {
            trustDomain = trustDomain[..^1];
        }

        // ".<trust domain>" must be a proper suffix, with at least the marker label before it.
        int boundary = name.Length - trustDomain.Length - 1;
        if (trustDomain.IsEmpty || boundary <= 0 || name[boundary] != '.'
            || !Ascii.EqualsIgnoreCase(name[(boundary + 1)..], trustDomain))
        {
            return ConsulSniStatus.TrustDomainMismatch;
        }

        int trustDomainLabels = trustDomain.Count('.') + 1;
        int marker = labels.Length - trustDomainLabels - 1;
        ConsulSniStatus status = Classify(name, labels, marker, out view);
        return status;
    }

    /// <summary>Reads the name with the label at <paramref name="marker"/> as the marker; <see cref="ConsulSniStatus.MissingMarker"/> when it is not one.</summary>
    private static ConsulSniStatus Classify(ReadOnlySpan<char> name, scoped ReadOnlySpan<Range> labels, int marker, out ConsulSniView view)
    {
        view = default;
        ReadOnlySpan<char> markerLabel = name[labels[marker]];
        ReadOnlySpan<char> trustDomain = name[labels[marker + 1].Start..];
        int before = marker;

        if (Ascii.EqualsIgnoreCase(markerLabel, ConsulSniLabels.Internal))
        {
            // [subset.]service.namespace.datacenter.internal.td, or datacenter.internal.td.
            switch (before)
            {
                case 1:
                    view = new ConsulSniView(ConsulSniKind.Gateway, default, default, default, ConsulSniLabels.Default, name[labels[0]], default, default, trustDomain);
                    return ConsulSniStatus.Valid;
                case 3:
                    view = new ConsulSniView(ConsulSniKind.Service, name[labels[0]], default, name[labels[1]], ConsulSniLabels.Default, name[labels[2]], default, default, trustDomain);
                    return ConsulSniStatus.Valid;
                case 4:
                    view = new ConsulSniView(ConsulSniKind.Service, name[labels[1]], name[labels[0]], name[labels[2]], ConsulSniLabels.Default, name[labels[3]], default, default, trustDomain);
                    return ConsulSniStatus.Valid;
                default:
                    return ConsulSniStatus.WrongLabelCount;
            }
        }

        if (Ascii.EqualsIgnoreCase(markerLabel, ConsulSniLabels.InternalVersioned))
        {
            // [subset.]service.namespace.partition.datacenter.internal-v1.td, or partition.datacenter.internal-v1.td.
            int partition = before switch
            {
                2 => 0,
                4 => 2,
                5 => 3,
                _ => -1,
            };
            if (partition < 0)
            {
                return ConsulSniStatus.WrongLabelCount;
            }

            // Consul compares the partition with "default" exactly (ordinal) when choosing the form.
            if (name[labels[partition]].SequenceEqual(ConsulSniLabels.Default))
            {
                return ConsulSniStatus.DefaultPartitionInVersionedName;
            }

            view = before switch
            {
                2 => new ConsulSniView(ConsulSniKind.Gateway, default, default, default, name[labels[0]], name[labels[1]], default, default, trustDomain),
                4 => new ConsulSniView(ConsulSniKind.Service, name[labels[0]], default, name[labels[1]], name[labels[2]], name[labels[3]], default, default, trustDomain),
                _ => new ConsulSniView(ConsulSniKind.Service, name[labels[1]], name[labels[0]], name[labels[2]], name[labels[3]], name[labels[4]], default, default, trustDomain),
            };
            return ConsulSniStatus.Valid;
        }

        if (Ascii.EqualsIgnoreCase(markerLabel, ConsulSniLabels.Query))
        {
            // query.default.datacenter.query.td
            if (before != 3)
            {
                return ConsulSniStatus.WrongLabelCount;
            }

            if (!Ascii.EqualsIgnoreCase(name[labels[1]], ConsulSniLabels.Default))
            {
                return ConsulSniStatus.QueryNamespaceNotDefault;
            }

            view = new ConsulSniView(ConsulSniKind.PreparedQuery, default, default, default, default, name[labels[2]], default, name[labels[0]], trustDomain);
            return ConsulSniStatus.Valid;
        }

        if (Ascii.EqualsIgnoreCase(markerLabel, ConsulSniLabels.External))
        {
            // service.namespace.partition.peer.external.td
            if (before != 4)
            {
                return ConsulSniStatus.WrongLabelCount;
            }

            view = new ConsulSniView(ConsulSniKind.Peered, name[labels[0]], default, name[labels[1]], name[labels[2]], default, name[labels[3]], default, trustDomain);
            return ConsulSniStatus.Valid;
        }

        return ConsulSniStatus.MissingMarker;
    }

    private static bool IsMarker(ReadOnlySpan<char> label) =>
        Ascii.EqualsIgnoreCase(label, ConsulSniLabels.Internal)
        || Ascii.EqualsIgnoreCase(label, ConsulSniLabels.InternalVersioned)
        || Ascii.EqualsIgnoreCase(label, ConsulSniLabels.Query)
        || Ascii.EqualsIgnoreCase(label, ConsulSniLabels.External);
}
