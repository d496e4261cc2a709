using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace MeshGateway.ClientHello;

/// <summary>Lower-case hex without allocating.</summary>
internal static class Hex
{
    private const string Digits = "0123456789abcdef";

    public static void WriteLower(ReadOnlySpan<byte> bytes, Span<char> destination)
    {
        for (int i = 0; i < bytes.Length && (2 * i) + 1 < destination.Length; i++)
        {
            destination[2 * i] = Digits[bytes[i] >> 4];
            destination[(2 * i) + 1] = Digits[bytes[i] & 0xF];
        }
    }

    /// <summary>Writes <paramref name="value"/> as four lower-case hex digits followed by a comma (5 bytes).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void WriteUInt16Comma(ushort value, Span<byte> destination)
    {
        // Spread the four nibbles into the four bytes of a uint (most significant first), then turn each into its
        // ASCII digit at once: '0' + n, plus 'a' - '0' - 10 where n > 9 (n + 6 carries into bit 4 exactly then).
        uint x = value;
        x = (x | (x << 8)) & 0x00FF00FF;
        x = (x | (x << 4)) & 0x0F0F0F0F;
        x += 0x30303030 + ((((x + 0x06060606) >> 4) & 0x01010101) * ('a' - '0' - 10));
        BinaryPrimitives.WriteUInt32BigEndian(destination, x);
        destination[4] = (byte)',';
    }

    public static char Digit(int nibble) => Digits[nibble & 0xF];
}
