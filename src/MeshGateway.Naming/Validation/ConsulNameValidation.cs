using System.Buffers;
using System.Globalization;
using System.Text;

namespace MeshGateway.Naming;

/// <summary>
/// The rules Consul and DNS apply to the parts of an SNI. Consul's SNI functions validate nothing; these are the
/// rules from elsewhere that a name must meet to be usable: datacenters match <c>^[a-z0-9_-]+$</c>
/// (<c>agent/config/builder.go</c>), labels are at most 63 characters and names at most 253 (RFC 1035 §2.3.4),
/// and no single-label part may contain a dot. Beyond Consul, <see cref="ValidateSniLabel"/> and
/// <see cref="ValidateSniName"/> hold every label to <c>[A-Za-z0-9_-]</c>: the characters a TLS client sends in a
/// host name (RFC 6066 §3, RFC 1123 §2.1) plus Consul's <c>_</c> in datacenter names. The builders
/// (<see cref="ConsulSni"/>, <see cref="ConsulSniName"/>) stay Consul-exact and do not call these; configuration
/// readers do.
/// </summary>
public static class ConsulNameValidation
{
    // Letters, digits, '_' and '-': a label's characters in a name a TLS client can send (plus Consul's '_').
    private static readonly SearchValues<char> SniLabelCharacters =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-");

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

    /// <summary>
    /// Checks a single-label part that goes into an SNI (service, subset, namespace, partition, peer, query): as
    /// <see cref="ValidateLabel"/>, and every character in <c>[A-Za-z0-9_-]</c>.
    /// </summary>
    /// <param name="part">The part.</param>
    /// <returns>The first problem found, or <see cref="ConsulNameError.None"/>.</returns>
    public static ConsulNameError ValidateSniLabel(ReadOnlySpan<char> part)
    {
        ConsulNameError error = ValidateLabel(part);
        if (error != ConsulNameError.None)
        {
            return error;
        }

        return part.ContainsAnyExcept(SniLabelCharacters) ? ConsulNameError.InvalidSniCharacter : ConsulNameError.None;
    }

    /// <summary>
    /// Checks a multi-label name that goes into an SNI, such as a trust domain: as <see cref="ValidateDnsName"/>
    /// (one final dot allowed), and every label's characters in <c>[A-Za-z0-9_-]</c>.
    /// </summary>
    /// <param name="name">The name.</param>
    /// <returns>The first problem found, or <see cref="ConsulNameError.None"/>.</returns>
    public static ConsulNameError ValidateSniName(ReadOnlySpan<char> name)
    {
        ConsulNameError error = ValidateDnsName(name);
        if (error != ConsulNameError.None)
        {
            return error;
        }

        foreach (Range range in name.Split('.'))
        {
            if (name[range].ContainsAnyExcept(SniLabelCharacters))
            {
                return ConsulNameError.InvalidSniCharacter;
            }
        }

        return ConsulNameError.None;
    }

    /// <summary>Whether every character of <paramref name="text"/> may appear in an SNI label (<c>[A-Za-z0-9_-]</c>).</summary>
    internal static bool IsSniLabelText(ReadOnlySpan<char> text) => !text.ContainsAnyExcept(SniLabelCharacters);

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

    /// <summary>Checks a trust domain: a DNS name (one or more labels). For a trust domain put into an SNI, use <see cref="ValidateSniName"/>.</summary>
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
    public static string Describe(ConsulNameError error, string what, string value)
    {
        // A name may come from anywhere: never let a control byte or a quote in it reshape the message.
        string shown = Printable(value);
        return Describe(error, what, value, shown);
    }

    private static string Describe(ConsulNameError error, string what, string raw, string value) => error switch
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
        ConsulNameError.InvalidSniCharacter => string.Create(
            CultureInfo.InvariantCulture,
            $"{what} \"{value}\" has {Character(raw)}; every label of a name in an SNI must be letters, digits, '_' or '-' ([A-Za-z0-9_-])"),
        _ => throw new ArgumentOutOfRangeException(nameof(error), error, null),
    };

    /// <summary>Names the first character outside <c>[A-Za-z0-9_-]</c> (dots aside) and where it is.</summary>
    private static string Character(string raw)
    {
        for (int i = 0; i < raw.Length; i++)
        {
            char c = raw[i];
            if (c != '.' && !SniLabelCharacters.Contains(c))
            {
                return CharacterAt(c, i);
            }
        }

        return "a character outside [A-Za-z0-9_-]";
    }

    /// <summary>Names a character for an error message: as itself when printable ASCII, else as <c>U+XXXX</c> (never raw).</summary>
    internal static string CharacterAt(char c, int index) => c is > ' ' and < '\u007f'
        ? string.Create(CultureInfo.InvariantCulture, $"the character '{c}' at index {index}")
        : string.Create(CultureInfo.InvariantCulture, $"the character U+{(int)c:X4} at index {index}");

    /// <summary>The value with every character outside printable ASCII, and '"' and '\\', escaped (<c>\xNN</c>, <c>\uNNNN</c>).</summary>
    private static string Printable(string value)
    {
        if (!value.AsSpan().ContainsAnyExceptInRange(' ', '~') && !value.AsSpan().ContainsAny('"', '\\'))
        {
            return value;
        }

        var builder = new StringBuilder(value.Length + 8);
        foreach (char c in value)
        {
            _ = c switch
            {
                '"' or '\\' => builder.Append('\\').Append(c),
                >= ' ' and <= '~' => builder.Append(c),
                <= '\u00ff' => builder.Append(CultureInfo.InvariantCulture, $"\\x{(int)c:X2}"),
                _ => builder.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}"),
            };
        }

        return builder.ToString();
    }
}
