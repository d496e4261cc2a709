using System.Buffers.Binary;

namespace MeshGateway.ClientHello;

public static partial class ClientHelloParser
{
    // struct {
    //     ProtocolVersion legacy_version = 0x0303;    /* TLS v1.2 */
    //     Random random;                               /* 32 bytes */
    //     opaque legacy_session_id<0..32>;
    //     CipherSuite cipher_suites<2..2^16-2>;
    //     opaque legacy_compression_methods<1..2^8-1>;
    //     Extension extensions<8..2^16-1>;             /* may be absent before TLS 1.3 */
    // } ClientHello;                                   (RFC 8446 §4.1.2)
    //
    // The caller guarantees message.Length >= TlsWire.MinClientHelloLength. Every declared length is checked
    // against its parent; nothing is clamped.
    private static ClientHelloMalformedReason ParseBody(ReadOnlySpan<byte> message, bool strict, ref ClientHelloLayout layout)
    {
        layout.LegacyVersion = BinaryPrimitives.ReadUInt16BigEndian(message);
        int position = 2 + TlsWire.RandomLength;

        int sessionIdLength = message[position++];
        if (sessionIdLength > TlsWire.MaxSessionIdLength)
        {
            return ClientHelloMalformedReason.SessionIdTooLong;
        }

        if (sessionIdLength > message.Length - position)
        {
            return ClientHelloMalformedReason.SessionIdOverrun;
        }

        layout.SessionIdLength = sessionIdLength;
        position += sessionIdLength;

        if (message.Length - position < 2)
        {
            return ClientHelloMalformedReason.TruncatedCipherSuitesLength;
        }

        int cipherSuitesLength = BinaryPrimitives.ReadUInt16BigEndian(message[position..]);
        position += 2;
        if (cipherSuitesLength > message.Length - position)
        {
            return ClientHelloMalformedReason.CipherSuitesOverrun;
        }

        if (cipherSuitesLength == 0)
        {
            return ClientHelloMalformedReason.CipherSuitesEmpty;
        }

        if ((cipherSuitesLength & 1) != 0)
        {
            return ClientHelloMalformedReason.CipherSuitesOddLength;
        }

        layout.CipherSuites = new Segment(position, cipherSuitesLength);
        position += cipherSuitesLength;

        if (message.Length - position < 1)
        {
            return ClientHelloMalformedReason.TruncatedCompressionMethodsLength;
        }

        int compressionLength = message[position++];
        if (compressionLength > message.Length - position)
        {
            return ClientHelloMalformedReason.CompressionMethodsOverrun;
        }

        if (compressionLength == 0)
        {
            return ClientHelloMalformedReason.CompressionMethodsEmpty;
        }

        layout.CompressionMethods = new Segment(position, compressionLength);
        position += compressionLength;

        if (position == message.Length)
        {
            // No extensions block at all: legal before TLS 1.3 (SSL 3.0 and old TLS 1.0 clients).
            return ClientHelloMalformedReason.None;
        }

        if (message.Length - position < 2)
        {
            return ClientHelloMalformedReason.TruncatedExtensionsLength;
        }

        int extensionsLength = BinaryPrimitives.ReadUInt16BigEndian(message[position..]);
        position += 2;
        if (extensionsLength != message.Length - position)
        {
            return ClientHelloMalformedReason.ExtensionsLengthMismatch;
        }

        layout.Extensions = new Segment(position, extensionsLength);
        return ParseExtensions(message, position, extensionsLength, strict, ref layout);
    }

    /// <summary>True when a list of big-endian uint16 values holds an RFC 8701 GREASE value.</summary>
    internal static bool ContainsGrease(ReadOnlySpan<byte> values)
    {
        for (int i = 0; i + 1 < values.Length; i += 2)
        {
            if (TlsWire.IsGrease(BinaryPrimitives.ReadUInt16BigEndian(values[i..])))
            {
                return true;
            }
        }

        return false;
    }
}
