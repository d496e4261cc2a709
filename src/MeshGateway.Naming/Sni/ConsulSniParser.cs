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
    // Room for a dot at every offset of a 253-character name, so scanning never checks for overflow.
    private const int MaxDots = 256;

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

        // RFC 6066 §3: a host name is ASCII. Checked first so that the trust-domain comparison (ASCII case-insensitive)
        // and the marker search see the same characters, whichever way the name is parsed.
        if (!Ascii.IsValid(name) || !Ascii.IsValid(trustDomain))
        {
            return ConsulSniStatus.NonAscii;
        }

        // Label boundaries as the offsets of the dots: a name of at most 253 characters fits them in bytes.
        Span<byte> dots = stackalloc byte[MaxDots];
        int dotCount;
        ConsulSniStatus labelStatus;
        if (!trustDomain.IsEmpty)
        {
            // Only the labels before the trust domain need scanning; the trust domain is compared whole.
            if (trustDomain[^1] == '.')
            {
                trustDomain = trustDomain[..^1];
            }

            int boundary = name.Length - trustDomain.Length - 1;
            if (trustDomain.IsEmpty || boundary <= 0 || name[boundary] != '.'
                || !Ascii.EqualsIgnoreCase(name[(boundary + 1)..], trustDomain))
            {
                return ConsulSniStatus.TrustDomainMismatch;
            }

            labelStatus = ScanLabels(name[..boundary], dots, out dotCount);
            if (labelStatus == ConsulSniStatus.Valid)
            {
                labelStatus = CheckTrustDomainLabels(trustDomain);
            }

            if (labelStatus != ConsulSniStatus.Valid)
            {
                return labelStatus;
            }

            // The dot before the trust domain ends the marker label.
            dots[dotCount++] = (byte)boundary;
            return Classify(name, dots[..dotCount], dotCount - 1, out view);
        }

        labelStatus = ScanLabels(name, dots, out dotCount);
        if (labelStatus != ConsulSniStatus.Valid)
        {
            return labelStatus;
        }

        dots = dots[..dotCount];
        int readings = 0;
        ConsulSniStatus rightmostFailure = ConsulSniStatus.MissingMarker;
        for (int marker = dots.Length - 1; marker >= 0; marker--)
        {
            if (MarkerOf(Label(name, dots, marker)) == Marker.None)
            {
                continue;
            }

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
        ConsulSniStatus.NonAscii => "the name or the trust domain holds a character outside ASCII",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    /// <summary>Records the dots of <paramref name="text"/> and checks that every label is 1 to 63 characters.</summary>
    private static ConsulSniStatus ScanLabels(ReadOnlySpan<char> text, Span<byte> dots, out int dotCount)
    {
        // text is at most 253 characters, so every offset fits in a byte and dots holds them all.
        int count = LabelDots.Find(text, dots);
        dotCount = count;
        int previous = -1;
        for (int d = 0; d <= count; d++)
        {
            int end = d < count ? dots[d] : text.Length;
            int length = end - previous - 1;
            if (length == 0)
            {
                return ConsulSniStatus.EmptyLabel;
            }

            if (length > ConsulNameValidation.MaxLabelLength)
            {
                return ConsulSniStatus.LabelTooLong;
            }

            previous = end;
        }

        return ConsulSniStatus.Valid;
    }

    /// <summary>Checks the labels of a caller's trust domain, which the name ends with.</summary>
    private static ConsulSniStatus CheckTrustDomainLabels(ReadOnlySpan<char> trustDomain)
    {
        if (trustDomain[0] == '.' || trustDomain[^1] == '.' || trustDomain.IndexOf("..") >= 0)
        {
            return ConsulSniStatus.EmptyLabel;
        }

        if (trustDomain.Length <= ConsulNameValidation.MaxLabelLength)
        {
            return ConsulSniStatus.Valid;
        }

        foreach (Range label in trustDomain.Split('.'))
        {
            if (label.GetOffsetAndLength(trustDomain.Length).Length > ConsulNameValidation.MaxLabelLength)
            {
                return ConsulSniStatus.LabelTooLong;
            }
        }

        return ConsulSniStatus.Valid;
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

        int trustDomainStart = Start(dots, marker + 1);
        switch (kind, marker)
        {
            // datacenter.internal.td
            case (Marker.Internal, 1):
                view = new ConsulSniView(name, ConsulSniKind.Gateway, default, default, default, default, Slot(name, dots, 0), default, default, trustDomainStart);
                return ConsulSniStatus.Valid;

            // service.namespace.datacenter.internal.td
            case (Marker.Internal, 3):
                view = new ConsulSniView(name, ConsulSniKind.Service, Slot(name, dots, 0), default, Slot(name, dots, 1), default, Slot(name, dots, 2), default, default, trustDomainStart);
                return ConsulSniStatus.Valid;

            // subset.service.namespace.datacenter.internal.td
            case (Marker.Internal, 4):
                view = new ConsulSniView(name, ConsulSniKind.Service, Slot(name, dots, 1), Slot(name, dots, 0), Slot(name, dots, 2), default, Slot(name, dots, 3), default, default, trustDomainStart);
                return ConsulSniStatus.Valid;

            // partition.datacenter.internal-v1.td
            case (Marker.InternalVersioned, 2):
                view = new ConsulSniView(name, ConsulSniKind.Gateway, default, default, default, Slot(name, dots, 0), Slot(name, dots, 1), default, default, trustDomainStart);
                break;

            // service.namespace.partition.datacenter.internal-v1.td
            case (Marker.InternalVersioned, 4):
                view = new ConsulSniView(name, ConsulSniKind.Service, Slot(name, dots, 0), default, Slot(name, dots, 1), Slot(name, dots, 2), Slot(name, dots, 3), default, default, trustDomainStart);
                break;

            // subset.service.namespace.partition.datacenter.internal-v1.td
            case (Marker.InternalVersioned, 5):
                view = new ConsulSniView(name, ConsulSniKind.Service, Slot(name, dots, 1), Slot(name, dots, 0), Slot(name, dots, 2), Slot(name, dots, 3), Slot(name, dots, 4), default, default, trustDomainStart);
                break;

            // query.default.datacenter.query.td
            case (Marker.Query, 3):
                if (!Ascii.EqualsIgnoreCase(Label(name, dots, 1), ConsulSniLabels.Default))
                {
                    return ConsulSniStatus.QueryNamespaceNotDefault;
                }

                view = new ConsulSniView(name, ConsulSniKind.PreparedQuery, default, default, default, default, Slot(name, dots, 2), default, Slot(name, dots, 0), trustDomainStart);
                return ConsulSniStatus.Valid;

            // service.namespace.partition.peer.external.td
            case (Marker.External, 4):
                view = new ConsulSniView(name, ConsulSniKind.Peered, Slot(name, dots, 0), default, Slot(name, dots, 1), Slot(name, dots, 2), default, Slot(name, dots, 3), default, trustDomainStart);
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
        name[Start(dots, index)..End(name, dots, index)];

    /// <summary>Where label <paramref name="index"/> lies.</summary>
    private static LabelSlot Slot(ReadOnlySpan<char> name, scoped ReadOnlySpan<byte> dots, int index)
    {
        int start = Start(dots, index);
        return new LabelSlot((byte)start, (byte)(End(name, dots, index) - start));
    }

    private static int End(ReadOnlySpan<char> name, scoped ReadOnlySpan<byte> dots, int index) =>
        index < dots.Length ? dots[index] : name.Length;

    private static int Start(scoped ReadOnlySpan<byte> dots, int index) => index == 0 ? 0 : dots[index - 1] + 1;
}
