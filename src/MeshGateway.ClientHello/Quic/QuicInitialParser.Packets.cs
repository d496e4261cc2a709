using System.Buffers;
using System.Buffers.Binary;

namespace MeshGateway.ClientHello;

public static partial class QuicInitialParser
{
    private const int StackScratchLength = 2048;

    // What a long header says, up to the start of the Packet Number field.
    private ref struct LongHeader
    {
        public uint Version;
        public int PacketType;
        public ReadOnlySpan<byte> DestinationConnectionId;
        public int PacketNumberOffset;
        public int End;
        public bool HasLength;
    }

    // A UDP datagram may hold several QUIC packets (RFC 9000 §12.2). Each long-header packet carries its own Length;
    // anything after the last one that is not a long header (a short-header packet, or Firefox's padding outside the
    // packet) is ignored, and so are coalesced packets with another Destination Connection ID or version.
    private static QuicSniffStatus ReadDatagram(ReadOnlySpan<byte> datagram, scoped ref QuicInitialParserState state, Span<byte> cryptoBuffer)
    {
        bool established = state.CurrentPhase == QuicInitialParserState.Phase.Collecting;
        if (datagram.IsEmpty || (datagram[0] & QuicWire.LongHeaderForm) == 0)
        {
            // A client's first packet always has a long header (RFC 9000 §17.2.2).
            return established ? Ignore(ref state) : Fail(ref state, QuicSniffStatus.NotQuic);
        }

        QuicOptionsView limits = new(state.Options);
        int position = 0;
        int packets = 0;
        bool sawInitial = false;
        while (position < datagram.Length && (datagram[position] & QuicWire.LongHeaderForm) != 0)
        {
            bool firstPacket = packets == 0;
            if (++packets > limits.MaxPacketsPerDatagram)
            {
                return TooLarge(ref state, QuicSniffLimit.PacketsPerDatagram);
            }

            QuicMalformedReason headerProblem = ReadLongHeader(datagram, position, out LongHeader header);
            if (headerProblem != QuicMalformedReason.None)
            {
                if (!firstPacket)
                {
                    break; // bytes after the last well-formed packet are not ours to judge
                }

                return Malformed(ref state, headerProblem);
            }

            if (header.Version is not (QuicWire.Version1 or QuicWire.Version2))
            {
                if (!firstPacket || established)
                {
                    break; // another version coalesced or sent later: not this connection's Initial
                }

                state.QuicVersion = header.Version;
                return Fail(ref state, QuicSniffStatus.UnsupportedVersion);
            }

            bool sameConnection = !established
                || (header.Version == state.QuicVersion && header.DestinationConnectionId.SequenceEqual(state.DestinationConnectionId));
            if (!sameConnection || !header.HasLength)
            {
                break; // RFC 9000 §12.2: ignore packets with another DCID; a Retry (no Length) is never the client's
            }

            if (header.PacketType == QuicWire.InitialPacketType(header.Version))
            {
                if (limits.RequireMinimumDatagramSize && datagram.Length < QuicWire.MinInitialDatagramSize)
                {
                    return Malformed(ref state, QuicMalformedReason.DatagramTooSmall);
                }

                if (!established)
                {
                    Establish(ref state, header.Version, header.DestinationConnectionId);
                    established = true;
                }

                sawInitial = true;
                QuicSniffStatus status = ReadInitialPacket(datagram, position, in header, ref state, cryptoBuffer);
                if (status != QuicSniffStatus.NeedMoreData)
                {
                    return status;
                }
            }

            // 0-RTT and Handshake packets are skipped by their Length: their keys are not derivable from the DCID.
            position = header.End;
        }

        return sawInitial ? QuicSniffStatus.NeedMoreData : Ignore(ref state);
    }

    private static QuicSniffStatus Ignore(scoped ref QuicInitialParserState state)
    {
        state.Ignored++;
        return QuicSniffStatus.NeedMoreData;
    }

    private static void Establish(scoped ref QuicInitialParserState state, uint version, ReadOnlySpan<byte> destinationConnectionId)
    {
        state.QuicVersion = version;
        state.DcidLength = destinationConnectionId.Length;
        destinationConnectionId.CopyTo(state.Dcid);
        QuicInitialKeys.Derive(version, destinationConnectionId, state.Keys);
        state.LargestPacketNumber = -1;
        state.CurrentPhase = QuicInitialParserState.Phase.Collecting;
    }

    // Long Header Packet {
    //   Header Form (1) = 1, Fixed Bit (1) = 1, Long Packet Type (2), Type-Specific Bits (4),
    //   Version (32),
    //   Destination Connection ID Length (8), Destination Connection ID (0..160),
    //   Source Connection ID Length (8), Source Connection ID (0..160),
    //   Type-Specific Payload (..),
    // }                                                   (RFC 9000 §17.2)
    // Initial Packet {
    //   ..., Token Length (i), Token (..), Length (i), Packet Number (8..32), Packet Payload (8..),
    // }                                                   (RFC 9000 §17.2.2; the same layout in version 2)
    // The fixed bit is not checked: RFC 9287 lets a client clear it. End = -1 until the Length is read.
    private static QuicMalformedReason ReadLongHeader(ReadOnlySpan<byte> datagram, int start, out LongHeader header)
    {
        header = default;
        header.End = -1;
        ReadOnlySpan<byte> packet = datagram[start..];
        if (packet.Length < 5)
        {
            return QuicMalformedReason.HeaderTruncated;
        }

        header.Version = BinaryPrimitives.ReadUInt32BigEndian(packet[1..]);
        header.PacketType = (packet[0] >> 4) & 0x03;
        if (header.Version is not (QuicWire.Version1 or QuicWire.Version2))
        {
            return QuicMalformedReason.None;
        }

        int position = 5;
        if (!TryReadConnectionId(packet, ref position, out header.DestinationConnectionId, out QuicMalformedReason problem)
            || !TryReadConnectionId(packet, ref position, out _, out problem))
        {
            return problem;
        }

        bool retry = header.PacketType == (header.Version == QuicWire.Version2 ? 0 : 3);
        if (retry)
        {
            return QuicMalformedReason.None; // Retry has no Length (RFC 9000 §17.2.5); a client never sends one
        }

        if (header.PacketType == QuicWire.InitialPacketType(header.Version))
        {
            if (!QuicVarint.TryRead(packet, ref position, out long tokenLength, out _))
            {
                return QuicMalformedReason.HeaderTruncated;
            }

            if (tokenLength > packet.Length - position)
            {
                return QuicMalformedReason.TokenOverrun;
            }

            position += (int)tokenLength;
        }

        if (!QuicVarint.TryRead(packet, ref position, out long length, out _))
        {
            return QuicMalformedReason.HeaderTruncated;
        }

        if (length > packet.Length - position)
        {
            return QuicMalformedReason.PacketLengthOverrun;
        }

        header.HasLength = true;
        header.PacketNumberOffset = start + position;
        header.End = start + position + (int)length;
        return QuicMalformedReason.None;
    }

    private static bool TryReadConnectionId(ReadOnlySpan<byte> packet, scoped ref int position, out ReadOnlySpan<byte> id, out QuicMalformedReason problem)
    {
        id = default;
        problem = QuicMalformedReason.HeaderTruncated;
        if (position >= packet.Length)
        {
            return false;
        }

        int length = packet[position++];
        if (length > QuicWire.MaxConnectionIdLength)
        {
            problem = QuicMalformedReason.ConnectionIdTooLong;
            return false;
        }

        if (length > packet.Length - position)
        {
            return false;
        }

        id = packet.Slice(position, length);
        position += length;
        problem = QuicMalformedReason.None;
        return true;
    }

    // Removes header protection (RFC 9001 §5.4), then payload protection (§5.3), then walks the frames.
    private static QuicSniffStatus ReadInitialPacket(
        ReadOnlySpan<byte> datagram,
        int start,
        scoped in LongHeader header,
        scoped ref QuicInitialParserState state,
        Span<byte> cryptoBuffer)
    {
        int pnOffset = header.PacketNumberOffset;
        int sampleOffset = pnOffset + 4;
        if (header.End - sampleOffset < QuicWire.SampleLength)
        {
            return Malformed(ref state, QuicMalformedReason.PacketTooShort);
        }

        if (state.AeadAttempts >= state.Options.MaxAeadAttempts)
        {
            return TooLarge(ref state, QuicSniffLimit.AeadAttempts);
        }

        state.AeadAttempts++;
        Span<byte> keys = state.Keys;
        QuicPacketProtection protection = QuicPacketProtection.Current;

        // sample = packet[pn_offset + 4 ..][..16]; mask = AES-ECB(hp, sample)
        Span<byte> mask = stackalloc byte[QuicWire.SampleLength];
        protection.HeaderProtectionMask(QuicInitialKeys.HeaderProtection(keys), datagram.Slice(sampleOffset, QuicWire.SampleLength), mask);
        byte first = (byte)(datagram[start] ^ (mask[0] & 0x0F));
        int pnLength = (first & 0x03) + 1;
        int headerLength = pnOffset + pnLength - start;
        int ciphertextLength = header.End - (pnOffset + pnLength) - QuicWire.TagLength;

        int scratchLength = headerLength + ciphertextLength;
        byte[]? rented = null;
        Span<byte> scratch = scratchLength <= StackScratchLength
            ? stackalloc byte[StackScratchLength]
            : (rented = ArrayPool<byte>.Shared.Rent(scratchLength));
        Span<byte> aad = scratch[..headerLength];
        Span<byte> plaintext = scratch.Slice(headerLength, ciphertextLength);

        // The unprotected header is the AEAD's associated data.
        datagram.Slice(start, headerLength).CopyTo(aad);
        aad[0] = first;
        long truncated = 0;
        for (int i = 0; i < pnLength; i++)
        {
            byte b = (byte)(aad[pnOffset - start + i] ^ mask[1 + i]);
            aad[pnOffset - start + i] = b;
            truncated = (truncated << 8) | b;
        }

        long packetNumber = DecodePacketNumber(state.LargestPacketNumber, truncated, pnLength * 8);

        // nonce = iv XOR the packet number, left-padded to the IV's length (RFC 9001 §5.3)
        Span<byte> nonce = stackalloc byte[QuicWire.IvLength];
        QuicInitialKeys.Iv(keys).CopyTo(nonce);
        BinaryPrimitives.WriteInt64BigEndian(nonce[4..], BinaryPrimitives.ReadInt64BigEndian(nonce[4..]) ^ packetNumber);

        QuicSniffStatus status;
        int ciphertextStart = pnOffset + pnLength;
        if (!protection.TryDecrypt(
                QuicInitialKeys.Key(keys),
                nonce,
                datagram.Slice(ciphertextStart, ciphertextLength),
                datagram.Slice(ciphertextStart + ciphertextLength, QuicWire.TagLength),
                plaintext,
                aad))
        {
            status = Malformed(ref state, QuicMalformedReason.AuthenticationFailed);
        }
        else if ((first & 0x0C) != 0)
        {
            status = Malformed(ref state, QuicMalformedReason.ReservedBitsSet);
        }
        else
        {
            state.LargestPacketNumber = Math.Max(state.LargestPacketNumber, packetNumber);
            state.Packets++;
            status = ReadFrames(plaintext, ref state, cryptoBuffer);
        }

        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }

        return status;
    }

    // RFC 9000 Appendix A.3: the full packet number closest to largest + 1 whose low bits are `truncated`.
    private static long DecodePacketNumber(long largest, long truncated, int bits)
    {
        long expected = largest + 1;
        long window = 1L << bits;
        long halfWindow = window / 2;
        long candidate = (expected & ~(window - 1)) | truncated;
        if (candidate <= expected - halfWindow && candidate < (1L << 62) - window)
        {
            return candidate + window;
        }

        if (candidate > expected + halfWindow && candidate >= window)
        {
            return candidate - window;
        }

        return candidate;
    }

    // The few option values the datagram walk reads, fetched once.
    private readonly ref struct QuicOptionsView(QuicInitialParserOptions options)
    {
        public readonly int MaxPacketsPerDatagram = options.MaxPacketsPerDatagram;
        public readonly bool RequireMinimumDatagramSize = options.RequireMinimumDatagramSize;
    }
}
