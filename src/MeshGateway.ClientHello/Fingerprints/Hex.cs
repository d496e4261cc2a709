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

    public static void WriteUInt16(ushort value, Span<byte> destination)
    {
        destination[0] = (byte)Digits[value >> 12];
        destination[1] = (byte)Digits[(value >> 8) & 0xF];
        destination[2] = (byte)Digits[(value >> 4) & 0xF];
        destination[3] = (byte)Digits[value & 0xF];
    }

    public static char Digit(int nibble) => Digits[nibble & 0xF];
}
