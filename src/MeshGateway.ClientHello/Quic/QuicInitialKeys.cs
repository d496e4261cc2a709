using System.Buffers.Binary;
using System.Security.Cryptography;

namespace MeshGateway.ClientHello;

/// <summary>
/// The client's Initial packet protection keys, derived from the Destination Connection ID it chose (RFC 9001 §5.2;
/// RFC 9369 §3.3 for version 2):
/// <code>
/// initial_secret        = HKDF-Extract(initial_salt, client_dst_connection_id)
/// client_initial_secret = HKDF-Expand-Label(initial_secret, "client in", "", 32)
/// key = HKDF-Expand-Label(client_initial_secret, "quic key", "", 16)    ("quicv2 key" in version 2)
/// iv  = HKDF-Expand-Label(client_initial_secret, "quic iv", "", 12)     ("quicv2 iv")
/// hp  = HKDF-Expand-Label(client_initial_secret, "quic hp", "", 16)     ("quicv2 hp")
/// </code>
/// </summary>
internal static class QuicInitialKeys
{
    /// <summary>key(16) + iv(12) + hp(16).</summary>
    public const int Length = QuicWire.KeyLength + QuicWire.IvLength + QuicWire.KeyLength;

    private const int SecretLength = 32;

    /// <summary>Writes key, iv and hp into <paramref name="keys"/> (see <see cref="Length"/>). The version must be 1 or 2.</summary>
    public static void Derive(uint version, ReadOnlySpan<byte> destinationConnectionId, Span<byte> keys)
    {
        bool v2 = version == QuicWire.Version2;
        Span<byte> initialSecret = stackalloc byte[SecretLength];
        Span<byte> clientSecret = stackalloc byte[SecretLength];
        HKDF.Extract(HashAlgorithmName.SHA256, destinationConnectionId, v2 ? QuicWire.Version2Salt : QuicWire.Version1Salt, initialSecret);
        ExpandLabel(initialSecret, "client in"u8, clientSecret);
        ExpandLabel(clientSecret, v2 ? "quicv2 key"u8 : "quic key"u8, Key(keys));
        ExpandLabel(clientSecret, v2 ? "quicv2 iv"u8 : "quic iv"u8, Iv(keys));
        ExpandLabel(clientSecret, v2 ? "quicv2 hp"u8 : "quic hp"u8, HeaderProtection(keys));
        CryptographicOperations.ZeroMemory(initialSecret);
        CryptographicOperations.ZeroMemory(clientSecret);
    }

    public static Span<byte> Key(Span<byte> keys) => keys[..QuicWire.KeyLength];

    public static Span<byte> Iv(Span<byte> keys) => keys.Slice(QuicWire.KeyLength, QuicWire.IvLength);

    public static Span<byte> HeaderProtection(Span<byte> keys) => keys.Slice(QuicWire.KeyLength + QuicWire.IvLength, QuicWire.KeyLength);

    // struct {
    //     uint16 length = Length;
    //     opaque label<7..255> = "tls13 " + Label;
    //     opaque context<0..255> = Context;          /* empty here */
    // } HkdfLabel;                                   (RFC 8446 §7.1)
    internal static void ExpandLabel(ReadOnlySpan<byte> secret, ReadOnlySpan<byte> label, Span<byte> output)
    {
        ReadOnlySpan<byte> prefix = "tls13 "u8;
        Span<byte> info = stackalloc byte[2 + 1 + 6 + 16 + 1];
        BinaryPrimitives.WriteUInt16BigEndian(info, (ushort)output.Length);
        info[2] = (byte)(prefix.Length + label.Length);
        prefix.CopyTo(info[3..]);
        label.CopyTo(info[(3 + prefix.Length)..]);
        int length = 3 + prefix.Length + label.Length;
        info[length++] = 0;
        HKDF.Expand(HashAlgorithmName.SHA256, secret, output, info[..length]);
    }
}
