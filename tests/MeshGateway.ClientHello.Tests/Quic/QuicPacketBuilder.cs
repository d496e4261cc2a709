using System.Buffers.Binary;
using System.Security.Cryptography;

namespace MeshGateway.ClientHello.Tests.Quic;

/// <summary>
/// The client side of Initial packet protection, written for the tests from RFC 9001 §5 (and RFC 9369 §3 for v2), so
/// the parser is checked against an encoder that shares no code with it. Its output for the RFC's header and payload
/// is compared with the RFC's protected packet byte for byte.
/// </summary>
internal static class QuicPacketBuilder
{
    public const uint V1 = 1;
    public const uint V2 = 0x6b3343cf;

    public static (byte[] Key, byte[] Iv, byte[] Hp) ClientKeys(uint version, byte[] dcid)
    {
        byte[] salt = Convert.FromHexString(version == V2
            ? "0dede3def700a6db819381be6e269dcbf9bd2ed9"
            : "38762cf7f55934b34d179ae6a4c80cadccbb7f0a");
        byte[] initial = HKDF.Extract(HashAlgorithmName.SHA256, dcid, salt);
        byte[] client = ExpandLabel(initial, "client in", 32);
        string prefix = version == V2 ? "quicv2 " : "quic ";
        return (ExpandLabel(client, prefix + "key", 16), ExpandLabel(client, prefix + "iv", 12), ExpandLabel(client, prefix + "hp", 16));
    }

    private static byte[] ExpandLabel(byte[] secret, string label, int length)
    {
        byte[] full = System.Text.Encoding.ASCII.GetBytes("tls13 " + label);
        byte[] info = [(byte)(length >> 8), (byte)length, (byte)full.Length, .. full, 0];
        return HKDF.Expand(HashAlgorithmName.SHA256, secret, length, info);
    }

    /// <summary>A protected Initial packet with a 2-byte Length field.</summary>
    public static byte[] Initial(uint version, byte[] dcid, byte[] payload, long packetNumber = 0, int pnLength = 4, byte[]? scid = null, byte[]? token = null, byte reservedBits = 0)
    {
        scid ??= [];
        token ??= [];
        if (payload.Length + pnLength < 4)
        {
            // RFC 9001 §5.4.2: the sender pads so that the sample (4 bytes after the packet number's start) exists.
            payload = [.. payload, .. new byte[4 - pnLength - payload.Length]];
        }

        int type = version == V2 ? 1 : 0;
        var header = new List<byte> { (byte)(0xC0 | (type << 4) | reservedBits | (pnLength - 1)) };
        header.AddRange(BigEndian((uint)version));
        header.Add((byte)dcid.Length);
        header.AddRange(dcid);
        header.Add((byte)scid.Length);
        header.AddRange(scid);
        header.AddRange(Varint(token.Length));
        header.AddRange(token);
        int length = pnLength + payload.Length + 16;
        header.Add((byte)(0x40 | (length >> 8)));
        header.Add((byte)length);
        int pnOffset = header.Count;
        for (int i = pnLength - 1; i >= 0; i--)
        {
            header.Add((byte)(packetNumber >> (8 * i)));
        }

        return Protect(version, dcid, header.ToArray(), pnOffset, packetNumber, payload);
    }

    /// <summary>Protects <paramref name="header"/> (unprotected, packet number at <paramref name="pnOffset"/>) and <paramref name="payload"/>.</summary>
    public static byte[] Protect(uint version, byte[] dcid, byte[] header, int pnOffset, long packetNumber, byte[] payload)
    {
        var (key, iv, hp) = ClientKeys(version, dcid);
        byte[] nonce = (byte[])iv.Clone();
        for (int i = 0; i < 8; i++)
        {
            nonce[11 - i] ^= (byte)(packetNumber >> (8 * i));
        }

        byte[] ciphertext = new byte[payload.Length];
        byte[] tag = new byte[16];
        using (var gcm = new AesGcm(key, 16))
        {
            gcm.Encrypt(nonce, payload, ciphertext, tag, header);
        }

        byte[] packet = [.. header, .. ciphertext, .. tag];
        int pnLength = (header[0] & 0x03) + 1;
        byte[] mask = HeaderMask(hp, packet.AsSpan(pnOffset + 4, 16));
        packet[0] ^= (byte)(mask[0] & 0x0F);
        for (int i = 0; i < pnLength; i++)
        {
            packet[pnOffset + i] ^= mask[1 + i];
        }

        return packet;
    }

    public static byte[] HeaderMask(byte[] hp, ReadOnlySpan<byte> sample)
    {
        using var aes = Aes.Create();
        aes.Key = hp;
        return aes.EncryptEcb(sample, PaddingMode.None);
    }

    public static byte[] Varint(long value) => value switch
    {
        <= 63 => [(byte)value],
        <= 16383 => [(byte)(0x40 | (value >> 8)), (byte)value],
        <= 1073741823 => [.. BigEndian((uint)value | 0x80000000u)],
        _ => [.. BigEndian64((ulong)value | 0xC000000000000000ul)],
    };

    public static byte[] Crypto(long offset, ReadOnlySpan<byte> data) => [0x06, .. Varint(offset), .. Varint(data.Length), .. data];

    /// <summary>Frames padded with PADDING so that one Initial packet of them fills a 1200-byte datagram.</summary>
    public static byte[] PadTo1200(byte[] frames, byte[] dcid, int pnLength = 4)
    {
        int overhead = 1 + 4 + 1 + dcid.Length + 1 + 1 + 2 + pnLength + 16;
        int target = Math.Max(frames.Length, 1200 - overhead);
        byte[] padded = new byte[target];
        frames.CopyTo(padded, 0);
        return padded;
    }

    /// <summary>One datagram holding one v1/v2 Initial packet carrying <paramref name="frames"/>, padded to 1200 bytes.</summary>
    public static byte[] Datagram(uint version, byte[] dcid, byte[] frames, long packetNumber) =>
        Initial(version, dcid, PadTo1200(frames, dcid), packetNumber);

    private static byte[] BigEndian(uint value)
    {
        byte[] bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        return bytes;
    }

    private static byte[] BigEndian64(ulong value)
    {
        byte[] bytes = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, value);
        return bytes;
    }
}
