using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace MeshGateway.ClientHello;

public static partial class ClientHelloParser
{
    // struct {
    //     ContentType type;                        /* handshake(22) */
    //     ProtocolVersion legacy_record_version;   /* 0x0301, 0x0303; 0x0300 from old stacks */
    //     uint16 length;                           /* <= 2^14 */
    //     opaque fragment[TLSPlaintext.length];
    // } TLSPlaintext;                              (RFC 8446 §5.1)
    //
    // struct {
    //     HandshakeType msg_type;                  /* client_hello(1) */
    //     uint24 length;
    //     ClientHello body;
    // } Handshake;                                 (RFC 8446 §4)
    //
    // A handshake message may be fragmented over several records, the 4-byte header included; no record of
    // another type may come between the fragments. Returns Done when every record holding the hello is buffered.
    private static ClientHelloStatus WalkRecords(scoped BufferedInput input, ref ClientHelloParserState state)
    {
        ClientHelloParserOptions options = state.Options;
        int length = input.Length;
        Span<byte> header = stackalloc byte[TlsWire.RecordHeaderLength];
        while (true)
        {
            switch (state.CurrentPhase)
            {
                case ClientHelloParserState.Phase.Start:
                    if (length == 0)
                    {
                        return NeedMore(ref state, 1);
                    }

                    byte first = input[0];
                    if (first == TlsWire.ContentTypeHandshake)
                    {
                        state.CurrentPhase = ClientHelloParserState.Phase.RecordHeader;
                        continue;
                    }

                    if ((first & 0x80) != 0 && options.RecognizeLegacyV2Hello)
                    {
                        state.CurrentPhase = ClientHelloParserState.Phase.LegacyV2;
                        continue;
                    }

                    // Plaintext HTTP, SSH banners, zeros: decided on byte 1, never waiting for more.
                    return Fail(ref state, ClientHelloStatus.NotTls);

                case ClientHelloParserState.Phase.LegacyV2:
                    return WalkLegacyV2(input, ref state);

                case ClientHelloParserState.Phase.RecordHeader:
                {
                    int available = length - state.RecordStart;
                    if (state.RecordCount == 0 && available >= 2 && input[1] != 3)
                    {
                        // 0x16 followed by a major version other than 3 is not TLS.
                        return Fail(ref state, ClientHelloStatus.NotTls);
                    }

                    if (available < TlsWire.RecordHeaderLength)
                    {
                        return NeedMore(ref state, TlsWire.RecordHeaderLength - available);
                    }

                    input.CopyTo(state.RecordStart, header);
                    state.RecordLayerBytesRead += TlsWire.RecordHeaderLength;
                    ushort version = BinaryPrimitives.ReadUInt16BigEndian(header[1..]);
                    int recordLength = BinaryPrimitives.ReadUInt16BigEndian(header[3..]);
                    if (state.RecordCount == 0)
                    {
                        state.FirstRecordVersion = version;
                    }
                    else
                    {
                        if (header[0] != TlsWire.ContentTypeHandshake)
                        {
                            return Malformed(ref state, ClientHelloMalformedReason.InterleavedRecord);
                        }

                        if (header[1] != 3)
                        {
                            return Malformed(ref state, ClientHelloMalformedReason.InvalidRecordVersion);
                        }
                    }

                    if (version == 0x0300)
                    {
                        // Judged against legacy_version once the body is parsed.
                        state.SawSsl3RecordVersion = true;
                    }

                    if (recordLength == 0)
                    {
                        return Malformed(ref state, ClientHelloMalformedReason.EmptyRecord);
                    }

                    if (recordLength > TlsWire.MaxLenientRecordLength)
                    {
                        return Fail(ref state, ClientHelloStatus.TooLarge);
                    }

                    if (recordLength > TlsWire.MaxPlaintextRecordLength)
                    {
                        if (options.IsStrict)
                        {
                            return Malformed(ref state, ClientHelloMalformedReason.RecordOverflow);
                        }

                        state.RecordTolerances |= ClientHelloTolerances.RecordOverflow;
                    }

                    state.RecordEnd = state.RecordStart + TlsWire.RecordHeaderLength + recordLength;
                    state.RecordCount++;
                    state.CurrentPhase = ClientHelloParserState.Phase.RecordPayload;
                    continue;
                }

                case ClientHelloParserState.Phase.RecordPayload:
                {
                    int payloadStart = state.RecordStart + TlsWire.RecordHeaderLength;
                    int availableEnd = Math.Min(length, state.RecordEnd);

                    // The handshake header may straddle records: collect its bytes as they come, and decide
                    // NotClientHello / TooLarge as soon as the bytes that decide it are here.
                    while (state.HandshakeHeaderBytes < TlsWire.HandshakeHeaderLength)
                    {
                        int index = payloadStart + (state.HandshakeHeaderBytes - state.FragmentBytes);
                        if (index >= availableEnd)
                        {
                            break;
                        }

                        byte b = input[index];
                        state.RecordLayerBytesRead++;
                        state.HandshakeHeader = (state.HandshakeHeader << 8) | b;
                        state.HandshakeHeaderBytes++;
                        if (state.HandshakeHeaderBytes == 1 && b != TlsWire.HandshakeTypeClientHello)
                        {
                            return Fail(ref state, ClientHelloStatus.NotClientHello);
                        }

                        if (state.HandshakeHeaderBytes == TlsWire.HandshakeHeaderLength)
                        {
                            int handshakeLength = (int)(state.HandshakeHeader & 0xFFFFFF);
                            if (handshakeLength > options.MaxHandshakeLength)
                            {
                                return Fail(ref state, ClientHelloStatus.TooLarge);
                            }

                            if (handshakeLength < TlsWire.MinClientHelloLength)
                            {
                                return Malformed(ref state, ClientHelloMalformedReason.ClientHelloTooShort);
                            }
                        }
                    }

                    if (length < state.RecordEnd)
                    {
                        return NeedMore(ref state, state.RecordEnd - length);
                    }

                    state.FragmentBytes += state.RecordEnd - payloadStart;
                    if (state.HandshakeHeaderBytes < TlsWire.HandshakeHeaderLength
                        || state.FragmentBytes < TlsWire.HandshakeHeaderLength + HandshakeLength(in state))
                    {
                        state.RecordStart = state.RecordEnd;
                        state.CurrentPhase = ClientHelloParserState.Phase.RecordHeader;
                        continue;
                    }

                    state.CurrentPhase = ClientHelloParserState.Phase.RecordsComplete;
                    return ClientHelloStatus.Done;
                }

                case ClientHelloParserState.Phase.RecordsComplete:
                    return ClientHelloStatus.Done;

                default:
                    return state.FinalStatus;
            }
        }
    }

    // The common case in one step: the whole ClientHello inside a complete first record that is already buffered.
    // Leaves the state exactly as WalkRecords would; anything unusual (a prefix, a bad header, several records)
    // returns false and takes the general walk, which reports it.
    private static bool TryWalkSingleRecord(ReadOnlySpan<byte> input, ref ClientHelloParserState state)
    {
        const int HandshakeStart = TlsWire.RecordHeaderLength + TlsWire.HandshakeHeaderLength;
        if (input.Length < HandshakeStart || input[0] != TlsWire.ContentTypeHandshake || input[1] != 3
            || input[5] != TlsWire.HandshakeTypeClientHello)
        {
            return false;
        }

        int recordLength = BinaryPrimitives.ReadUInt16BigEndian(input[3..]);
        int handshakeLength = (input[6] << 16) | (input[7] << 8) | input[8];
        if (recordLength > TlsWire.MaxPlaintextRecordLength
            || input.Length - TlsWire.RecordHeaderLength < recordLength
            || handshakeLength < TlsWire.MinClientHelloLength
            || handshakeLength > state.Options.MaxHandshakeLength
            || TlsWire.HandshakeHeaderLength + handshakeLength > recordLength)
        {
            return false;
        }

        ushort version = BinaryPrimitives.ReadUInt16BigEndian(input[1..]);
        state.FirstRecordVersion = version;
        state.SawSsl3RecordVersion = version == 0x0300;
        state.RecordStart = 0;
        state.RecordEnd = TlsWire.RecordHeaderLength + recordLength;
        state.RecordCount = 1;
        state.FragmentBytes = recordLength;
        state.HandshakeHeaderBytes = TlsWire.HandshakeHeaderLength;
        state.HandshakeHeader = ((uint)TlsWire.HandshakeTypeClientHello << 24) | (uint)handshakeLength;
        state.RecordLayerBytesRead += HandshakeStart;
        state.CurrentPhase = ClientHelloParserState.Phase.RecordsComplete;
        return true;
    }

    private static int HandshakeLength(in ClientHelloParserState state) => (int)(state.HandshakeHeader & 0xFFFFFF);

    private static ClientHelloStatus FinishRecords(
        BufferedInput input,
        scoped ref ClientHelloParserState state,
        Span<byte> reassemblyBuffer,
        out ClientHelloInfo hello)
    {
        int messageLength = HandshakeLength(in state);
        if (state.RecordCount == 1 && input.IsContiguous)
        {
            return FinishMessage(
                input.Span.Slice(TlsWire.RecordHeaderLength + TlsWire.HandshakeHeaderLength, messageLength), null, ref state, out hello);
        }

        if (state.Options.IsStrict && HasTrailingHandshakeData(in state, messageLength))
        {
            // Decided before reassembling anything (FinishMessage would report the same).
            hello = default;
            return Malformed(ref state, ClientHelloMalformedReason.TrailingHandshakeData);
        }

        byte[]? rented = null;
        Span<byte> destination = reassemblyBuffer.Length >= messageLength
            ? reassemblyBuffer[..messageLength]
            : (rented = ArrayPool<byte>.Shared.Rent(messageLength)).AsSpan(0, messageLength);
        Reassemble(input, destination);
        return FinishMessage(destination, rented, ref state, out hello);
    }

    // Another handshake message coalesced after the ClientHello in its last record (RFC 8446 §5.1).
    private static bool HasTrailingHandshakeData(in ClientHelloParserState state, int messageLength) =>
        state.FragmentBytes > TlsWire.HandshakeHeaderLength + messageLength;

    // The handshake message is whole in `message` (in place or reassembled into `rented`, returned on failure).
    private static ClientHelloStatus FinishMessage(
        ReadOnlySpan<byte> message,
        byte[]? rented,
        scoped ref ClientHelloParserState state,
        out ClientHelloInfo hello)
    {
        bool strict = state.Options.IsStrict;
        ClientHelloTolerances tolerances = state.RecordTolerances;
        ClientHelloMalformedReason reason = ClientHelloMalformedReason.None;
        if (HasTrailingHandshakeData(in state, message.Length))
        {
            if (strict)
            {
                reason = ClientHelloMalformedReason.TrailingHandshakeData;
            }

            tolerances |= ClientHelloTolerances.TrailingHandshakeData;
        }

        // The layout is filled where the caller will read it: building it in a local and copying it out cost a
        // store-forwarding stall (narrow field stores read back as wide vector loads) on every parse.
        ClientHelloInfo.InitializeInPlace(out hello, message, rented);
        ref ClientHelloLayout layout = ref Unsafe.AsRef(in hello.LayoutInPlace);
        if (reason == ClientHelloMalformedReason.None)
        {
            layout.Tolerances = tolerances;
            layout.RecordCount = state.RecordCount;
            layout.RecordVersion = state.FirstRecordVersion;
            layout.Length = state.RecordEnd;
            reason = ParseBody(message, strict, ref layout);
        }

        // RFC 6066 §3 says "without a trailing dot"; browsers send one for a fully qualified URL and DNS reads it as
        // the same host, so refusing it is an option (ClientHelloParserOptions.AcceptTrailingDot), off by default.
        if (reason == ClientHelloMalformedReason.None && !state.Options.AcceptTrailingDot && EndsWithDot(message, layout.HostName))
        {
            if (strict)
            {
                reason = ClientHelloMalformedReason.HostNameTrailingDot;
            }
            else
            {
                layout.Tolerances |= ClientHelloTolerances.HostNameTrailingDot;
            }
        }

        if (reason == ClientHelloMalformedReason.None && state.SawSsl3RecordVersion && layout.LegacyVersion != 0x0300)
        {
            // GnuTLS-style: record version 0x0300 around a TLS 1.x hello.
            if (strict)
            {
                reason = ClientHelloMalformedReason.Ssl3RecordVersion;
            }
            else
            {
                layout.Tolerances |= ClientHelloTolerances.Ssl3RecordVersion;
            }
        }

        if (reason != ClientHelloMalformedReason.None)
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }

            hello = default;
            return Malformed(ref state, reason);
        }

        return ClientHelloStatus.Done;
    }

    private static bool EndsWithDot(ReadOnlySpan<byte> message, Segment hostName) =>
        hostName.IsPresent && message[hostName.Offset + hostName.Length - 1] == (byte)'.';

    // Copies the handshake body (after the 4-byte header) out of the record fragments. The headers were all checked
    // by WalkRecords, so this walk only reads lengths.
    private static void Reassemble(scoped BufferedInput input, Span<byte> destination)
    {
        Span<byte> header = stackalloc byte[TlsWire.RecordHeaderLength];
        int recordStart = 0;
        int streamPosition = 0;
        int written = 0;
        int streamEnd = TlsWire.HandshakeHeaderLength + destination.Length;
        while (streamPosition < streamEnd)
        {
            input.CopyTo(recordStart, header);
            int fragmentLength = BinaryPrimitives.ReadUInt16BigEndian(header[3..]);
            int payloadStart = recordStart + TlsWire.RecordHeaderLength;

            // The part of [streamPosition, streamPosition + fragmentLength) inside [4, streamEnd).
            int from = Math.Max(streamPosition, TlsWire.HandshakeHeaderLength);
            int to = Math.Min(streamPosition + fragmentLength, streamEnd);
            if (to > from)
            {
                input.CopyTo(payloadStart + (from - streamPosition), destination.Slice(written, to - from));
                written += to - from;
            }

            streamPosition += fragmentLength;
            recordStart = payloadStart + fragmentLength;
        }
    }
}
