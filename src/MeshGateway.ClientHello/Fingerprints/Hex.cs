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

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void WriteUInt16(ushort value, Span<byte> destination)
    {
        ReadOnlySpan<byte> digits = "0123456789abcdef"u8;
        destination[3] = digits[value & 0xF];
        destination[2] = digits[(value >> 4) & 0xF];
        destination[1] = digits[(value >> 8) & 0xF];
        destination[0] = digits[(value >> 12) & 0xF];
    }

    public static char Digit(int nibble) => Digits[nibble & 0xF];
}
