using System.Buffers;
using System.Globalization;
using System.Text;

namespace MeshGateway.Modes;

/// <summary>
/// Go's <c>strconv.Quote</c> (what <c>fmt</c>'s <c>%q</c> does with a string), so error messages match Consul's
/// byte for byte. Go quotes the UTF-8 bytes of the string rune by rune:
/// <list type="bullet">
/// <item><c>"</c> and <c>\</c> get a backslash;</item>
/// <item>printable runes (Unicode letters, marks, numbers, punctuation, symbols and the ASCII space) stay as they are;</item>
/// <item><c>\a \b \f \n \r \t \v</c> for U+0007–U+000D;</item>
/// <item>other runes below U+0020 and U+007F as <c>\xNN</c>;</item>
/// <item>other non-printable runes as <c>\uNNNN</c>, or <c>\UNNNNNNNN</c> above U+FFFF;</item>
/// <item>each byte that does not start a valid UTF-8 sequence as <c>\xNN</c>, one byte at a time.</item>
/// </list>
/// Hex digits are lower case. Unicode categories come from .NET's tables, which may be a newer Unicode version
/// than the Go release Consul was built with (only newly assigned characters can differ).
/// </summary>
internal static class GoQuote
{
    private const string HexDigits = "0123456789abcdef";

    /// <summary>Quotes UTF-16 text. Go strings are bytes; the text is seen as its UTF-8 encoding, so a lone surrogate becomes U+FFFD.</summary>
    public static void AppendQuoted(StringBuilder builder, ReadOnlySpan<char> value)
    {
        byte[]? rented = null;
        int max = Encoding.UTF8.GetMaxByteCount(value.Length);
        Span<byte> utf8 = max <= 256 ? stackalloc byte[256] : (rented = ArrayPool<byte>.Shared.Rent(max));
        try
        {
            int written = Encoding.UTF8.GetBytes(value, utf8);
            AppendQuoted(builder, utf8[..written]);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>Quotes UTF-8 bytes exactly as Go's <c>strconv.Quote</c>.</summary>
    public static void AppendQuoted(StringBuilder builder, ReadOnlySpan<byte> utf8)
    {
        builder.Append('"');
        while (!utf8.IsEmpty)
        {
            if (Rune.DecodeFromUtf8(utf8, out Rune rune, out int consumed) != OperationStatus.Done)
            {
                // Go's utf8.DecodeRune reports (RuneError, 1) for every invalid or truncated sequence,
                // so only the first byte is escaped and the next byte starts a new rune.
                AppendHexByte(builder, utf8[0]);
                utf8 = utf8[1..];
                continue;
            }

            AppendEscapedRune(builder, rune.Value);
            utf8 = utf8[consumed..];
        }

        builder.Append('"');
    }

    private static void AppendEscapedRune(StringBuilder builder, int rune)
    {
        if (rune is '"' or '\\')
        {
            builder.Append('\\').Append((char)rune);
            return;
        }

        if (IsPrint(rune))
        {
            builder.Append(new Rune(rune).ToString());
            return;
        }

        switch (rune)
        {
            case '\a':
                builder.Append("\\a");
                return;
            case '\b':
                builder.Append("\\b");
                return;
            case '\f':
                builder.Append("\\f");
                return;
            case '\n':
                builder.Append("\\n");
                return;
            case '\r':
                builder.Append("\\r");
                return;
            case '\t':
                builder.Append("\\t");
                return;
            case '\v':
                builder.Append("\\v");
                return;
        }

        if (rune < ' ' || rune == 0x7F)
        {
            AppendHexByte(builder, (byte)rune);
        }
        else if (rune < 0x10000)
        {
            builder.Append("\\u");
            AppendHex(builder, rune, 4);
        }
        else
        {
            builder.Append("\\U");
            AppendHex(builder, rune, 8);
        }
    }

    /// <summary>Go's <c>strconv.IsPrint</c>: categories L, M, N, P, S, plus U+0020 (other spaces are not printable).</summary>
    internal static bool IsPrint(int rune)
    {
        if (rune < 0x80)
        {
            return rune is >= 0x20 and < 0x7F;
        }

        switch (CharUnicodeInfo.GetUnicodeCategory(rune))
        {
            case UnicodeCategory.SpaceSeparator:
            case UnicodeCategory.LineSeparator:
            case UnicodeCategory.ParagraphSeparator:
            case UnicodeCategory.Control:
            case UnicodeCategory.Format:
            case UnicodeCategory.Surrogate:
            case UnicodeCategory.PrivateUse:
            case UnicodeCategory.OtherNotAssigned:
                return false;
            default:
                return true;
        }
    }

    private static void AppendHexByte(StringBuilder builder, byte value)
    {
        builder.Append("\\x");
        AppendHex(builder, value, 2);
    }

    private static void AppendHex(StringBuilder builder, int value, int digits)
    {
        for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4)
        {
            builder.Append(HexDigits[(value >> shift) & 0xF]);
        }
    }
}
