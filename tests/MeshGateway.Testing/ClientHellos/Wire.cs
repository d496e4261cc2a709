using System.Buffers.Binary;

namespace MeshGateway.Testing.ClientHellos;

/// <summary>TLS presentation-language helpers: big-endian integers and length-prefixed vectors.</summary>
public static class Wire
{
    public static byte[] U16(int value) => [(byte)(value >> 8), (byte)value];

    public static byte[] U24(int value) => [(byte)(value >> 16), (byte)(value >> 8), (byte)value];

    public static byte[] U16s(params ushort[] values)
    {
        var bytes = new byte[values.Length * 2];
        for (int i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(i * 2), values[i]);
        }

        return bytes;
    }

    public static byte[] U8Vector(byte[] body) => Concat([(byte)body.Length], body);

    public static byte[] U16Vector(byte[] body) => Concat(U16(body.Length), body);

    public static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();

    public static byte[] Hex(string hex) => Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal));
}
