using System.Buffers.Binary;

namespace MeshGateway.ClientHello;

/// <summary>
/// QUIC variable-length integers (RFC 9000 §16): the two high bits of the first byte give the length (1, 2, 4 or 8
/// bytes), the rest is the value, big-endian.
/// </summary>
internal static class QuicVarint
{
    /// <summary>Reads one varint at <paramref name="position"/>; false when the input ends inside it.</summary>
    public static bool TryRead(ReadOnlySpan<byte> input, ref int position, out long value, out int encodedLength)
    {
        value = 0;
        encodedLength = 0;
        if (position >= input.Length)
        {
            return false;
        }

        encodedLength = 1 << (input[position] >> 6);
        if (input.Length - position < encodedLength)
        {
            return false;
        }

        ReadOnlySpan<byte> bytes = input.Slice(position, encodedLength);
        value = encodedLength switch
        {
            1 => bytes[0] & 0x3F,
            2 => BinaryPrimitives.ReadUInt16BigEndian(bytes) & 0x3FFF,
            4 => BinaryPrimitives.ReadUInt32BigEndian(bytes) & 0x3FFF_FFFF,
            _ => (long)(BinaryPrimitives.ReadUInt64BigEndian(bytes) & 0x3FFF_FFFF_FFFF_FFFF),
        };
        position += encodedLength;
        return true;
    }

    /// <summary>The fewest bytes that encode <paramref name="value"/>.</summary>
    public static int MinimalLength(long value) => value switch
    {
        <= 63 => 1,
        <= 16383 => 2,
        <= 1073741823 => 4,
        _ => 8,
    };
}
