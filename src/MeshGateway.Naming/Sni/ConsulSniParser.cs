using System.Runtime.CompilerServices;
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
    [SkipLocalsInit]
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

        // Label boundaries as the offsets of the dots: a name of at most 253 characters fits them in bytes.
        Span<byte> dots = stackalloc byte[MaxLabels];
        int dotCount = 0;
        int start = 0;
        while (true)
        {
            int next = name[start..].IndexOf('.');
            int length = next < 0 ? name.Length - start : next;
            if (length == 0)
            {
                return ConsulSniStatus.EmptyLabel;
            }

            if (length > ConsulNameValidation.MaxLabelLength)
            {
                return ConsulSniStatus.LabelTooLong;
            }

            if (next < 0)
            {
                break;
            }

            dots[dotCount++] = (byte)(start + next);
            start += next + 1;
        }

        dots = dots[..dotCount];
        if (!trustDomain.IsEmpty)
        {
            return ParseWithTrustDomain(name, dots, trustDomain, out view);
        }

        int readings = 0;
        ConsulSniStatus rightmostFailure = ConsulSniStatus.MissingMarker;
        for (int marker = dots.Length - 1; marker >= 0; marker--)
        {
            ConsulSniStatus status = Classify(name, dots, marker, out ConsulSniView candidate);
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

        return rightmostFailure == ConsulSniStatus.MissingMarker && MarkerOf(Label(name, dots, dots.Length)) != Marker.None
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
        ReadOnlySpan<char> name, scoped ReadOnlySpan<byte> dots, ReadOnlySpan<char> trustDomain, out ConsulSniView view)
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
        return Classify(name, dots, dots.Length - trustDomainLabels, out view);
    }

    /// <summary>Reads the name with the label at <paramref name="marker"/> as the marker; <see cref="ConsulSniStatus.MissingMarker"/> when it is not one.</summary>
    private static ConsulSniStatus Classify(ReadOnlySpan<char> name, scoped ReadOnlySpan<byte> dots, int marker, out ConsulSniView view)
    {
        view = default;
        Marker kind = MarkerOf(Label(name, dots, marker));
        if (kind == Marker.None)
        {
            return ConsulSniStatus.MissingMarker;
        }

        ReadOnlySpan<char> trustDomain = name[Start(dots, marker + 1)..];
        switch (kind, marker)
        {
            // datacenter.internal.td
            case (Marker.Internal, 1):
                view = new ConsulSniView(ConsulSniKind.Gateway, default, default, default, ConsulSniLabels.Default, Label(name, dots, 0), default, default, trustDomain);
                return ConsulSniStatus.Valid;

            // service.namespace.datacenter.internal.td
            case (Marker.Internal, 3):
                view = new ConsulSniView(ConsulSniKind.Service, Label(name, dots, 0), default, Label(name, dots, 1), ConsulSniLabels.Default, Label(name, dots, 2), default, default, trustDomain);
                return ConsulSniStatus.Valid;

            // subset.service.namespace.datacenter.internal.td
            case (Marker.Internal, 4):
                view = new ConsulSniView(ConsulSniKind.Service, Label(name, dots, 1), Label(name, dots, 0), Label(name, dots, 2), ConsulSniLabels.Default, Label(name, dots, 3), default, default, trustDomain);
                return ConsulSniStatus.Valid;

            // partition.datacenter.internal-v1.td
            case (Marker.InternalVersioned, 2):
                view = new ConsulSniView(ConsulSniKind.Gateway, default, default, default, Label(name, dots, 0), Label(name, dots, 1), default, default, trustDomain);
                break;

            // service.namespace.partition.datacenter.internal-v1.td
            case (Marker.InternalVersioned, 4):
                view = new ConsulSniView(ConsulSniKind.Service, Label(name, dots, 0), default, Label(name, dots, 1), Label(name, dots, 2), Label(name, dots, 3), default, default, trustDomain);
                break;

            // subset.service.namespace.partition.datacenter.internal-v1.td
            case (Marker.InternalVersioned, 5):
                view = new ConsulSniView(ConsulSniKind.Service, Label(name, dots, 1), Label(name, dots, 0), Label(name, dots, 2), Label(name, dots, 3), Label(name, dots, 4), default, default, trustDomain);
                break;

            // query.default.datacenter.query.td
            case (Marker.Query, 3):
                if (!Ascii.EqualsIgnoreCase(Label(name, dots, 1), ConsulSniLabels.Default))
                {
                    return ConsulSniStatus.QueryNamespaceNotDefault;
                }

                view = new ConsulSniView(ConsulSniKind.PreparedQuery, default, default, default, default, Label(name, dots, 2), default, Label(name, dots, 0), trustDomain);
                return ConsulSniStatus.Valid;

            // service.namespace.partition.peer.external.td
            case (Marker.External, 4):
                view = new ConsulSniView(ConsulSniKind.Peered, Label(name, dots, 0), default, Label(name, dots, 1), Label(name, dots, 2), default, Label(name, dots, 3), default, trustDomain);
                return ConsulSniStatus.Valid;

            default:
                return ConsulSniStatus.WrongLabelCount;
        }

        // internal-v1: Consul compares the partition with "default" ordinally when it picks the form, so it never
        // writes "default" here.
        if (view.Partition.SequenceEqual(ConsulSniLabels.Default))
        {
            view = default;
            return ConsulSniStatus.DefaultPartitionInVersionedName;
        }

        return ConsulSniStatus.Valid;
    }

    /// <summary>Which marker a label is, comparing ASCII case-insensitively; the length picks the candidate first.</summary>
    private static Marker MarkerOf(ReadOnlySpan<char> label) => label.Length switch
    {
        5 when Ascii.EqualsIgnoreCase(label, ConsulSniLabels.Query) => Marker.Query,
        8 when Ascii.EqualsIgnoreCase(label, ConsulSniLabels.Internal) => Marker.Internal,
        8 when Ascii.EqualsIgnoreCase(label, ConsulSniLabels.External) => Marker.External,
        11 when Ascii.EqualsIgnoreCase(label, ConsulSniLabels.InternalVersioned) => Marker.InternalVersioned,
        _ => Marker.None,
    };

    private enum Marker
    {
        None,
        Internal,
        InternalVersioned,
        Query,
        External,
    }

    /// <summary>Label <paramref name="index"/> of <paramref name="name"/>, whose dots are at the offsets in <paramref name="dots"/>.</summary>
    private static ReadOnlySpan<char> Label(ReadOnlySpan<char> name, scoped ReadOnlySpan<byte> dots, int index) =>
        name[Start(dots, index)..(index < dots.Length ? dots[index] : name.Length)];

    private static int Start(scoped ReadOnlySpan<byte> dots, int index) => index == 0 ? 0 : dots[index - 1] + 1;
}
