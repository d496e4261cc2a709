using System.Globalization;

namespace MeshGateway.Naming;

/// <summary>
/// The rules Consul and DNS apply to the parts of an SNI. Consul's SNI functions validate nothing; these are the
/// rules from elsewhere that a name must meet to be usable: datacenters match <c>^[a-z0-9_-]+$</c>
/// (<c>agent/config/builder.go</c>), labels are at most 63 characters and names at most 253 (RFC 1035 §2.3.4),
/// and no single-label part may contain a dot.
/// </summary>
public static class ConsulNameValidation
{
    /// <summary>The longest DNS label, in characters (RFC 1035 §2.3.4).</summary>
    public const int MaxLabelLength = 63;

    /// <summary>The longest DNS name without its final dot, in characters (RFC 1035 §2.3.4: 255 octets on the wire).</summary>
    public const int MaxNameLength = 253;

    /// <summary>Checks a single-label part (service, subset, namespace, partition, peer, query).</summary>
    /// <param name="part">The part.</param>
    /// <returns><see cref="ConsulNameError.None"/>, <see cref="ConsulNameError.Empty"/>, <see cref="ConsulNameError.ContainsDot"/> or <see cref="ConsulNameError.LabelTooLong"/>.</returns>
    public static ConsulNameError ValidateLabel(ReadOnlySpan<char> part)
    {
        if (part.IsEmpty)
        {
            return ConsulNameError.Empty;
        }

        if (part.Contains('.'))
        {
            return ConsulNameError.ContainsDot;
        }

        return part.Length > MaxLabelLength ? ConsulNameError.LabelTooLong : ConsulNameError.None;
    }

    /// <summary>Checks a datacenter name: a label of <c>[a-z0-9_-]</c> only (Consul lower-cases datacenters, then rejects anything else).</summary>
    /// <param name="datacenter">The datacenter.</param>
    /// <returns>The first problem found, or <see cref="ConsulNameError.None"/>.</returns>
    public static ConsulNameError ValidateDatacenter(ReadOnlySpan<char> datacenter)
    {
        ConsulNameError error = ValidateLabel(datacenter);
        if (error != ConsulNameError.None)
        {
            return error;
        }

        foreach (char c in datacenter)
        {
            if (!(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '_' or '-'))
            {
                return ConsulNameError.InvalidDatacenterCharacter;
            }
        }

        return ConsulNameError.None;
    }

    /// <summary>Checks a trust domain: a DNS name (one or more labels).</summary>
    /// <param name="trustDomain">The trust domain.</param>
    /// <returns>The first problem found, or <see cref="ConsulNameError.None"/>.</returns>
    public static ConsulNameError ValidateTrustDomain(ReadOnlySpan<char> trustDomain) => ValidateDnsName(trustDomain);

    /// <summary>Checks a whole name: not empty, at most 253 characters, every label 1 to 63 characters. One final dot is allowed.</summary>
    /// <param name="name">The name.</param>
    /// <returns>The first problem found, or <see cref="ConsulNameError.None"/>.</returns>
    public static ConsulNameError ValidateDnsName(ReadOnlySpan<char> name)
    {
        if (!name.IsEmpty && name[^1] == '.')
        {
            name = name[..^1];
        }

        if (name.IsEmpty)
        {
            return ConsulNameError.Empty;
        }

        if (name.Length > MaxNameLength)
        {
            return ConsulNameError.NameTooLong;
        }

        foreach (Range range in name.Split('.'))
        {
            int length = range.GetOffsetAndLength(name.Length).Length;
            if (length == 0)
            {
                return ConsulNameError.EmptyLabel;
            }

            if (length > MaxLabelLength)
            {
                return ConsulNameError.LabelTooLong;
            }
        }

        return ConsulNameError.None;
    }

    /// <summary>Describes an error in a sentence naming the part and its value.</summary>
    /// <param name="error">The error.</param>
    /// <param name="what">What the value is, for example <c>service</c> or <c>datacenter</c>.</param>
    /// <param name="value">The offending value.</param>
    /// <returns>A readable message; for datacenters with bad characters, Consul's own wording.</returns>
    public static string Describe(ConsulNameError error, string what, string value) => error switch
    {
        ConsulNameError.None => string.Create(CultureInfo.InvariantCulture, $"{what} \"{value}\" is valid"),
        ConsulNameError.Empty => string.Create(CultureInfo.InvariantCulture, $"{what} must not be empty"),
        ConsulNameError.ContainsDot => string.Create(
            CultureInfo.InvariantCulture, $"{what} \"{value}\" must not contain a dot (SNI labels are dot-joined)"),
        ConsulNameError.LabelTooLong => string.Create(
            CultureInfo.InvariantCulture, $"{what} \"{value}\" has a label longer than {MaxLabelLength} characters"),
        ConsulNameError.NameTooLong => string.Create(
            CultureInfo.InvariantCulture, $"{what} \"{value}\" is longer than {MaxNameLength} characters"),
        ConsulNameError.EmptyLabel => string.Create(CultureInfo.InvariantCulture, $"{what} \"{value}\" has an empty label"),
        // Consul's agent config builder says exactly this.
        ConsulNameError.InvalidDatacenterCharacter => string.Create(
            CultureInfo.InvariantCulture, $"{what} cannot be \"{value}\". Please use only [a-z0-9-_]."),
        _ => throw new ArgumentOutOfRangeException(nameof(error), error, null),
    };
}
