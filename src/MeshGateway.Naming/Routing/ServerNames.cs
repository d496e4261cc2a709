using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace MeshGateway.Naming;

/// <summary>
/// How server names are put in one canonical form before they are compared: one final dot removed, ASCII letters
/// lower-cased (DNS names compare ASCII case-insensitively, RFC 4343; RFC 6066 §3 sends host names without the
/// final dot). Non-ASCII characters are kept as they are.
/// </summary>
internal static class ServerNames
{
    /// <summary>The longest name a rule can match (RFC 1035 §2.3.4, without the final dot).</summary>
    public const int MaxLength = ConsulNameValidation.MaxNameLength;

    /// <summary>Room for a dot at every offset of a name of <see cref="MaxLength"/> characters.</summary>
    public const int MaxDots = 256;

    // A canonical (lower-cased) name's labels and dots when every label is [A-Za-z0-9_-].
    private static readonly SearchValues<char> RoutableCharacters = SearchValues.Create("abcdefghijklmnopqrstuvwxyz0123456789_-.");

    /// <summary>
    /// Whether a canonical name's labels (the part a wildcard's <c>*</c> covers) are all <c>[a-z0-9_-]</c>, so the
    /// name is one a TLS client can send and a log can print as it is; vectorized by <see cref="SearchValues{T}"/>.
    /// </summary>
    public static bool IsRoutable(ReadOnlySpan<char> canonicalLabels) => !canonicalLabels.ContainsAnyExcept(RoutableCharacters);

    /// <summary>
    /// Writes the canonical form of <paramref name="name"/> into <paramref name="destination"/> (at least
    /// <see cref="MaxLength"/> long), records the offset of every dot in <paramref name="dots"/> (at least
    /// <see cref="MaxDots"/> long), and returns the length; -1 when no exact or wildcard rule can match
    /// (empty or longer than <see cref="MaxLength"/>). Empty labels are left for the caller. One pass, eight
    /// or sixteen characters at a time where the hardware allows.
    /// </summary>
    public static int Normalize(ReadOnlySpan<char> name, Span<char> destination, Span<byte> dots, out int dotCount)
    {
        dotCount = 0;
        if (!name.IsEmpty && name[^1] == '.')
        {
            name = name[..^1];
        }

        if (name.IsEmpty || name.Length > MaxLength || destination.Length < name.Length)
        {
            return -1;
        }

        int count = 0;
        int i = 0;
        ref ushort source = ref Unsafe.As<char, ushort>(ref MemoryMarshal.GetReference(name));
        ref ushort target = ref Unsafe.As<char, ushort>(ref MemoryMarshal.GetReference(destination));
        if (Vector256.IsHardwareAccelerated)
        {
            Vector256<ushort> dot = Vector256.Create((ushort)'.');
            Vector256<ushort> upperA = Vector256.Create((ushort)'A');
            Vector256<ushort> letters = Vector256.Create((ushort)26);
            Vector256<ushort> caseBit = Vector256.Create((ushort)0x20);
            for (; i <= name.Length - Vector256<ushort>.Count; i += Vector256<ushort>.Count)
            {
                Vector256<ushort> chars = Vector256.LoadUnsafe(ref source, (nuint)i);
                Vector256<ushort> upper = Vector256.LessThan(chars - upperA, letters);
                (chars | (upper & caseBit)).StoreUnsafe(ref target, (nuint)i);
                count = LabelDots.Append(Vector256.Equals(chars, dot).ExtractMostSignificantBits(), i, dots, count);
            }
        }

        if (Vector128.IsHardwareAccelerated)
        {
            Vector128<ushort> dot = Vector128.Create((ushort)'.');
            Vector128<ushort> upperA = Vector128.Create((ushort)'A');
            Vector128<ushort> letters = Vector128.Create((ushort)26);
            Vector128<ushort> caseBit = Vector128.Create((ushort)0x20);
            for (; i <= name.Length - Vector128<ushort>.Count; i += Vector128<ushort>.Count)
            {
                Vector128<ushort> chars = Vector128.LoadUnsafe(ref source, (nuint)i);

                // 'A'..'Z' only: c - 'A' < 26 as unsigned; everything else (including non-ASCII) is kept.
                Vector128<ushort> upper = Vector128.LessThan(chars - upperA, letters);
                (chars | (upper & caseBit)).StoreUnsafe(ref target, (nuint)i);
                count = LabelDots.Append(Vector128.Equals(chars, dot).ExtractMostSignificantBits(), i, dots, count);
            }
        }

        for (; i < name.Length; i++)
        {
            char c = name[i];
            if (c == '.')
            {
                dots[count++] = (byte)i;
            }

            destination[i] = char.IsAsciiLetterUpper(c) ? (char)(c | 0x20) : c;
        }

        dotCount = count;
        return name.Length;
    }

    /// <summary>
    /// As <see cref="Normalize(ReadOnlySpan{char}, Span{char}, Span{byte}, out int)"/> for the host name bytes of a
    /// ClientHello: each byte becomes one character (Latin-1 widening, so every dot and length is kept and a
    /// non-ASCII byte never equals an ASCII character).
    /// </summary>
    public static int Normalize(ReadOnlySpan<byte> name, Span<char> destination, Span<byte> dots, out int dotCount)
    {
        dotCount = 0;
        if (!name.IsEmpty && name[^1] == (byte)'.')
        {
            name = name[..^1];
        }

        if (name.IsEmpty || name.Length > MaxLength || destination.Length < name.Length)
        {
            return -1;
        }

        int count = 0;
        int i = 0;
        if (Vector128.IsHardwareAccelerated)
        {
            ref byte source = ref MemoryMarshal.GetReference(name);
            ref ushort target = ref Unsafe.As<char, ushort>(ref MemoryMarshal.GetReference(destination));
            Vector128<byte> dot = Vector128.Create((byte)'.');
            Vector128<byte> upperA = Vector128.Create((byte)'A');
            Vector128<byte> letters = Vector128.Create((byte)26);
            Vector128<byte> caseBit = Vector128.Create((byte)0x20);
            for (; i <= name.Length - Vector128<byte>.Count; i += Vector128<byte>.Count)
            {
                Vector128<byte> bytes = Vector128.LoadUnsafe(ref source, (nuint)i);
                Vector128<byte> lower = bytes | (Vector128.LessThan(bytes - upperA, letters) & caseBit);
                (Vector128<ushort> low, Vector128<ushort> high) = Vector128.Widen(lower);
                low.StoreUnsafe(ref target, (nuint)i);
                high.StoreUnsafe(ref target, (nuint)(i + Vector128<ushort>.Count));
                count = LabelDots.Append(Vector128.Equals(bytes, dot).ExtractMostSignificantBits(), i, dots, count);
            }
        }

        for (; i < name.Length; i++)
        {
            byte b = name[i];
            if (b == (byte)'.')
            {
                dots[count++] = (byte)i;
            }

            destination[i] = (char)(b is >= (byte)'A' and <= (byte)'Z' ? b | 0x20 : b);
        }

        dotCount = count;
        return name.Length;
    }

    /// <summary>
    /// Checks a rule's server name (no <c>*</c> allowed) and returns its canonical form, or the reason it is invalid.
    /// Rules are 1 to 253 characters of labels of 1 to 63 characters from <c>[A-Za-z0-9_-]</c> (the names a TLS client
    /// sends, plus Consul's <c>_</c>), so a name with any other byte can never equal a rule.
    /// </summary>
    public static string? Canonicalize(string name, out string? error)
    {
        ReadOnlySpan<char> span = name;
        if (!span.IsEmpty && span[^1] == '.')
        {
            span = span[..^1];
        }

        if (span.IsEmpty)
        {
            error = "is empty";
            return null;
        }

        if (span.Length > MaxLength)
        {
            error = $"is longer than {MaxLength} characters";
            return null;
        }

        for (int i = 0; i < span.Length; i++)
        {
            char c = span[i];
            if (c == '*')
            {
                error = "has a '*' that is not a whole leftmost label (a wildcard is \"*.suffix\")";
                return null;
            }

            if (c != '.' && !ConsulNameValidation.IsSniLabelText(new ReadOnlySpan<char>(in c)))
            {
                error = $"has {ConsulNameValidation.CharacterAt(c, i)} (labels are letters, digits, '_' and '-' only: [A-Za-z0-9_-])";
                return null;
            }
        }

        foreach (Range range in span.Split('.'))
        {
            int length = range.GetOffsetAndLength(span.Length).Length;
            if (length == 0)
            {
                error = "has an empty label";
                return null;
            }

            if (length > ConsulNameValidation.MaxLabelLength)
            {
                error = $"has a label longer than {ConsulNameValidation.MaxLabelLength} characters";
                return null;
            }
        }

        error = null;
        return span.ToString().ToLowerInvariant();
    }
}
