using System.Text;

namespace MeshGateway.Forwarding;

/// <summary>
/// Writes a value for a <c>key=value</c> log line (logfmt) so that no byte of it can start a new line or a new
/// field. A value made only of printable ASCII other than space, <c>=</c>, <c>"</c> and <c>\</c> is written as it
/// is; any other value (or an empty one) is quoted: <c>"</c> becomes <c>\"</c>, <c>\</c> becomes <c>\\</c>, and
/// every character outside printable ASCII is written as its UTF-8 bytes in <c>\xNN</c> form (LF is <c>\x0A</c>).
/// SNI names, ALPN values and anything else a client chose go through this before they reach a log line.
/// </summary>
public static class LogfmtValue
{
    /// <summary>
    /// The value as it must appear after <c>key=</c>: <paramref name="value"/> itself when it needs no quoting (no
    /// allocation), the quoted and escaped form otherwise, and <paramref name="missing"/> when it is null.
    /// </summary>
    public static string Format(string? value, string missing = "-")
    {
        if (value is null)
        {
            return missing;
        }

        if (!NeedsQuoting(value))
        {
            return value;
        }

        var builder = new StringBuilder(value.Length + 8);
        AppendQuoted(builder, value);
        return builder.ToString();
    }

    /// <summary>True when <paramref name="value"/> must be quoted: empty, or holding a character outside printable ASCII, a space, <c>=</c>, <c>"</c> or <c>\</c>.</summary>
    internal static bool NeedsQuoting(ReadOnlySpan<char> value)
    {
        if (value.IsEmpty)
        {
            return true;
        }

        foreach (char c in value)
        {
            if (c <= ' ' || c >= '\x7F' || c is '=' or '"' or '\\')
            {
                return true;
            }
        }

        return false;
    }

    private static void AppendQuoted(StringBuilder builder, string value)
    {
        Span<byte> utf8 = stackalloc byte[4];
        builder.Append('"');
        foreach (Rune rune in value.EnumerateRunes())
        {
            // EnumerateRunes yields U+FFFD for a lone surrogate, so every character has a UTF-8 form.
            int code = rune.Value;
            if (code == '"' || code == '\\')
            {
                builder.Append('\\').Append((char)code);
            }
            else if (code is >= 0x20 and < 0x7F)
            {
                builder.Append((char)code);
            }
            else
            {
                int length = rune.EncodeToUtf8(utf8);
                for (int i = 0; i < length; i++)
                {
                    builder.Append("\\x").Append(HexDigit(utf8[i] >> 4)).Append(HexDigit(utf8[i] & 0xF));
                }
            }
        }

        builder.Append('"');
    }

    private static char HexDigit(int nibble) => (char)(nibble < 10 ? '0' + nibble : 'A' + nibble - 10);
}
