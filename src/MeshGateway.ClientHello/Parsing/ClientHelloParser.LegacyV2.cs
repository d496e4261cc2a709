using System.Buffers;
using System.Buffers.Binary;

namespace MeshGateway.ClientHello;

public static partial class ClientHelloParser
{
    private const int LegacyV2HeaderLength = 2;
    private const int LegacyV2FixedLength = 9;

    // An SSL 2.0-compatible CLIENT-HELLO (RFC 5246 Appendix E.2; .NET's "unified hello", runtime #68310):
    //     uint16 msg_length;          /* high bit set; length = msg_length & 0x7FFF */
    //     uint8 msg_type;             /* 1 */
    //     Version version;            /* 0x0002, or 0x0300..0x0303 */
    //     uint16 cipher_spec_length;  /* a multiple of 3 */
    //     uint16 session_id_length;
    //     uint16 challenge_length;    /* 16..32 */
    //     V2CipherSpec cipher_specs[cipher_spec_length];
    //     opaque session_id[session_id_length];
    //     opaque challenge[challenge_length];
    // It has no extensions and therefore no SNI.
    private static ClientHelloStatus WalkLegacyV2(scoped BufferedInput input, ref ClientHelloParserState state)
    {
        int length = input.Length;
        if (length < 3)
        {
            return NeedMore(ref state, 3 - length);
        }

        if (input[2] != TlsWire.HandshakeTypeClientHello)
        {
            return Fail(ref state, ClientHelloStatus.NotTls);
        }

        if (length < 5)
        {
            return NeedMore(ref state, 5 - length);
        }

        byte major = input[3];
        if (!(major == 3 || (major == 0 && input[4] == 2)))
        {
            return Fail(ref state, ClientHelloStatus.NotTls);
        }

        int messageLength = ((input[0] & 0x7F) << 8) | input[1];
        if (messageLength > state.Options.MaxHandshakeLength)
        {
            return Fail(ref state, ClientHelloStatus.TooLarge);
        }

        if (messageLength < LegacyV2FixedLength)
        {
            return Malformed(ref state, ClientHelloMalformedReason.LegacyV2LengthMismatch);
        }

        int end = LegacyV2HeaderLength + messageLength;
        return length < end ? NeedMore(ref state, end - length) : ClientHelloStatus.Done;
    }

    private static ClientHelloStatus FinishLegacyV2(
        BufferedInput input,
        scoped ref ClientHelloParserState state,
        Span<byte> reassemblyBuffer,
        out ClientHelloInfo hello)
    {
        hello = default;
        int messageLength = ((input[0] & 0x7F) << 8) | input[1];
        ReadOnlySpan<byte> message;
        byte[]? rented = null;
        if (input.IsContiguous)
        {
            message = input.Span.Slice(LegacyV2HeaderLength, messageLength);
        }
        else
        {
            Span<byte> destination = reassemblyBuffer.Length >= messageLength
                ? reassemblyBuffer[..messageLength]
                : (rented = ArrayPool<byte>.Shared.Rent(messageLength)).AsSpan(0, messageLength);
            input.CopyTo(LegacyV2HeaderLength, destination);
            message = destination;
        }

        int cipherSpecLength = BinaryPrimitives.ReadUInt16BigEndian(message[3..]);
        int sessionIdLength = BinaryPrimitives.ReadUInt16BigEndian(message[5..]);
        int challengeLength = BinaryPrimitives.ReadUInt16BigEndian(message[7..]);
        ClientHelloMalformedReason reason = ClientHelloMalformedReason.None;
        if (cipherSpecLength == 0 || cipherSpecLength % 3 != 0)
        {
            reason = ClientHelloMalformedReason.LegacyV2CipherSpecLengthInvalid;
        }
        else if (challengeLength is < 16 or > 32)
        {
            reason = ClientHelloMalformedReason.LegacyV2ChallengeLengthInvalid;
        }
        else if (LegacyV2FixedLength + cipherSpecLength + sessionIdLength + challengeLength != messageLength)
        {
            reason = ClientHelloMalformedReason.LegacyV2LengthMismatch;
        }

        if (reason != ClientHelloMalformedReason.None)
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }

            return Malformed(ref state, reason);
        }

        var layout = ClientHelloLayout.Empty;
        layout.IsLegacyV2Hello = true;
        layout.RecordCount = 1;
        layout.Length = LegacyV2HeaderLength + messageLength;
        layout.LegacyVersion = BinaryPrimitives.ReadUInt16BigEndian(message[1..]);
        layout.SessionIdLength = sessionIdLength;
        hello = new ClientHelloInfo(message, layout, rented);
        return ClientHelloStatus.Done;
    }
}
