using System.Runtime.CompilerServices;

namespace MeshGateway.ClientHello;

/// <summary>
/// Classifies a host_name (RFC 6066 §3: "the fully qualified DNS hostname ... represented as a byte string using ASCII
/// encoding without a trailing dot"; literal IPv4 and IPv6 addresses are not permitted). Observations, not verdicts.
/// </summary>
internal static class HostNameClassifier
{
    private const int MaxDnsNameLength = 253;
    private const int MaxLabelLength = 63;

    /// <summary>
    /// The traits a profile decides on, cheap for ordinary names: trailing dot, IP literal, and
    /// <see cref="ServerNameTraits.InvalidDnsSyntax"/> here meaning only "an empty label other than the root".
    /// </summary>
    /// <remarks>
    /// Kept out of the parser's inlined body: there, the conditional re-slice of <paramref name="name"/> lived in
    /// memory and its reload stalled on store forwarding (~7% of a Chromium parse in a perf profile).
    /// </remarks>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static ServerNameTraits ClassifyForProfile(ReadOnlySpan<byte> name)
    {
        var flags = ServerNameTraits.None;
        if (name[^1] == (byte)'.')
        {
            flags |= ServerNameTraits.TrailingDot;
            name = name[..^1];
        }

        if (name.IsEmpty || name[0] == (byte)'.' || name[^1] == (byte)'.' || name.IndexOf(".."u8) >= 0)
        {
            flags |= ServerNameTraits.InvalidDnsSyntax;
        }

        if (IsIPv4Literal(name) || IsIPv6Literal(name))
        {
            flags |= ServerNameTraits.IpLiteral;
        }

        return flags;
    }

    public static ServerNameTraits Classify(ReadOnlySpan<byte> name)
    {
        var flags = ServerNameTraits.None;
        if (name.Length > 0 && name[^1] == (byte)'.')
        {
            flags |= ServerNameTraits.TrailingDot;
            name = name[..^1];
        }

        int labelLength = 0;
        bool invalid = name.Length == 0 || name.Length > MaxDnsNameLength;
        foreach (byte b in name)
        {
            if (b >= 0x80)
            {
                flags |= ServerNameTraits.NonAscii;
                invalid = true;
            }
            else if (b == (byte)'.')
            {
                invalid |= labelLength == 0;
                labelLength = 0;
                continue;
            }
            else if (!IsLabelCharacter(b))
            {
                invalid = true;
                if (b <= 0x20 || b == 0x7F)
                {
                    flags |= ServerNameTraits.ControlCharacter;
                }
            }

            labelLength++;
            invalid |= labelLength > MaxLabelLength;
        }

        invalid |= labelLength == 0;
        if (IsIPv4Literal(name) || IsIPv6Literal(name))
        {
            flags |= ServerNameTraits.IpLiteral;
        }

        if (invalid)
        {
            flags |= ServerNameTraits.InvalidDnsSyntax;
        }

        return flags;
    }

    /// <summary>Compares two host names ASCII case-insensitively, ignoring one trailing dot on either.</summary>
    public static bool EqualsIgnoreCase(ReadOnlySpan<byte> wire, ReadOnlySpan<char> name)
    {
        if (wire.Length > 0 && wire[^1] == (byte)'.')
        {
            wire = wire[..^1];
        }

        if (name.Length > 0 && name[^1] == '.')
        {
            name = name[..^1];
        }

        if (wire.Length != name.Length)
        {
            return false;
        }

        for (int i = 0; i < wire.Length; i++)
        {
            int a = wire[i];
            int b = name[i];
            if (a == b)
            {
                continue;
            }

            if ((uint)((a | 0x20) - 'a') > 'z' - 'a' || (a | 0x20) != (b | 0x20))
            {
                return false;
            }
        }

        return true;
    }

    // Letters, digits, '-' and '_' (underscore appears in real service names such as _dmarc; it is not an error here).
    private static bool IsLabelCharacter(byte b) =>
        (uint)((b | 0x20) - 'a') <= 'z' - 'a' || (uint)(b - '0') <= 9 || b == (byte)'-' || b == (byte)'_';

    private static bool IsIPv4Literal(ReadOnlySpan<byte> name)
    {
        int parts = 0;
        int digits = 0;
        int value = 0;
        foreach (byte b in name)
        {
            if (b == (byte)'.')
            {
                if (digits == 0)
                {
                    return false;
                }

                parts++;
                digits = 0;
                value = 0;
                continue;
            }

            if ((uint)(b - '0') > 9)
            {
                return false;
            }

            value = (value * 10) + (b - '0');
            digits++;
            if (digits > 3 || value > 255)
            {
                return false;
            }
        }

        return digits > 0 && parts == 3;
    }

    private static bool IsIPv6Literal(ReadOnlySpan<byte> name)
    {
        if (name.Length >= 2 && name[0] == (byte)'[' && name[^1] == (byte)']')
        {
            name = name[1..^1];
        }

        int colons = 0;
        foreach (byte b in name)
        {
            if (b == (byte)':')
            {
                colons++;
            }
            else if (!((uint)(b - '0') <= 9 || (uint)((b | 0x20) - 'a') <= 'f' - 'a' || b == (byte)'.'))
            {
                return false;
            }
        }

        return colons >= 2;
    }
}
