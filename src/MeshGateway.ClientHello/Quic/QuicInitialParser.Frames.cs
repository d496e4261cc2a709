namespace MeshGateway.ClientHello;

public static partial class QuicInitialParser
{
    // Walks the frames of a decrypted Initial packet. Table 3 of RFC 9000 §12.4 allows PADDING (0x00), PING (0x01),
    // ACK (0x02, 0x03), CRYPTO (0x06) and CONNECTION_CLOSE (0x1c) there; any other type is a PROTOCOL_VIOLATION.
    // Returns Done as soon as the CRYPTO stream holds the whole ClientHello. Internal for the benchmarks' stage rows.
    internal static QuicSniffStatus ReadFrames(ReadOnlySpan<byte> payload, scoped ref QuicInitialParserState state, Span<byte> cryptoBuffer)
    {
        if (payload.IsEmpty)
        {
            return Malformed(ref state, QuicMalformedReason.EmptyPayload);
        }

        int position = 0;
        while (position < payload.Length)
        {
            if (payload[position] == QuicWire.FramePadding)
            {
                // PADDING Frame { Type (i) = 0x00 }: runs of zeros, often most of the packet.
                int next = payload[position..].IndexOfAnyExcept(QuicWire.FramePadding);
                position = next < 0 ? payload.Length : position + next;
                continue;
            }

            if (!QuicVarint.TryRead(payload, ref position, out long type, out int typeLength))
            {
                return Malformed(ref state, QuicMalformedReason.FrameTruncated);
            }

            if (typeLength != QuicVarint.MinimalLength(type))
            {
                return Malformed(ref state, QuicMalformedReason.FrameTypeNotMinimal);
            }

            QuicMalformedReason problem;
            switch (type)
            {
                case QuicWire.FramePing:
                    continue;

                case QuicWire.FrameAck:
                case QuicWire.FrameAckEcn:
                    problem = SkipAck(payload, ref position, type == QuicWire.FrameAckEcn);
                    break;

                case QuicWire.FrameConnectionClose:
                    problem = SkipConnectionClose(payload, ref position);
                    break;

                case QuicWire.FrameCrypto:
                {
                    // CRYPTO Frame { Type (i) = 0x06, Offset (i), Length (i), Crypto Data (..) }   (RFC 9000 §19.6)
                    if (!QuicVarint.TryRead(payload, ref position, out long offset, out _)
                        || !QuicVarint.TryRead(payload, ref position, out long length, out _)
                        || length > payload.Length - position)
                    {
                        return Malformed(ref state, QuicMalformedReason.FrameTruncated);
                    }

                    if (offset + length > QuicWire.MaxVarint)
                    {
                        return Malformed(ref state, QuicMalformedReason.CryptoOffsetOverflow);
                    }

                    QuicSniffStatus status = AddCryptoData(offset, payload.Slice(position, (int)length), ref state, cryptoBuffer);
                    if (status != QuicSniffStatus.NeedMoreData)
                    {
                        return status;
                    }

                    position += (int)length;
                    continue;
                }

                default:
                    return Malformed(ref state, QuicMalformedReason.FrameNotAllowedInInitial);
            }

            if (problem != QuicMalformedReason.None)
            {
                return Malformed(ref state, problem);
            }
        }

        return QuicSniffStatus.NeedMoreData;
    }

    // ACK Frame {
    //   Type (i) = 0x02..0x03, Largest Acknowledged (i), ACK Delay (i), ACK Range Count (i), First ACK Range (i),
    //   ACK Range (..) ...,                     ACK Range { Gap (i), ACK Range Length (i) }
    //   [ECN Counts (..)],                      ECN Counts { ECT0 Count (i), ECT1 Count (i), ECN-CE Count (i) }
    // }                                         (RFC 9000 §19.3)
    private static QuicMalformedReason SkipAck(ReadOnlySpan<byte> payload, ref int position, bool ecn)
    {
        if (!QuicVarint.TryRead(payload, ref position, out long largest, out _)
            || !QuicVarint.TryRead(payload, ref position, out _, out _)
            || !QuicVarint.TryRead(payload, ref position, out long rangeCount, out _)
            || !QuicVarint.TryRead(payload, ref position, out long firstRange, out _))
        {
            return QuicMalformedReason.FrameTruncated;
        }

        // Each range takes at least 2 bytes: a count beyond that is a truncation, whatever it claims.
        if (rangeCount > (payload.Length - position) / 2)
        {
            return QuicMalformedReason.FrameTruncated;
        }

        if (firstRange > largest)
        {
            return QuicMalformedReason.InvalidAckRange;
        }

        long smallest = largest - firstRange;

        for (long i = 0; i < rangeCount; i++)
        {
            if (!QuicVarint.TryRead(payload, ref position, out long gap, out _)
                || !QuicVarint.TryRead(payload, ref position, out long rangeLength, out _))
            {
                return QuicMalformedReason.FrameTruncated;
            }

            // largest = previous_smallest - gap - 2; smallest = largest - ack_range_length   (RFC 9000 §19.3.1),
            // each step checked before it is taken, so no value below 0 is ever formed.
            if (gap + 2 > smallest || rangeLength > smallest - gap - 2)
            {
                return QuicMalformedReason.InvalidAckRange;
            }

            smallest = smallest - gap - 2 - rangeLength;
        }

        if (ecn)
        {
            for (int i = 0; i < 3; i++)
            {
                if (!QuicVarint.TryRead(payload, ref position, out _, out _))
                {
                    return QuicMalformedReason.FrameTruncated;
                }
            }
        }

        return QuicMalformedReason.None;
    }

    // CONNECTION_CLOSE Frame {
    //   Type (i) = 0x1c, Error Code (i), Frame Type (i), Reason Phrase Length (i), Reason Phrase (..),
    // }                                         (RFC 9000 §19.19; 0x1d is not allowed in Initial packets)
    private static QuicMalformedReason SkipConnectionClose(ReadOnlySpan<byte> payload, ref int position)
    {
        if (!QuicVarint.TryRead(payload, ref position, out _, out _)
            || !QuicVarint.TryRead(payload, ref position, out _, out _)
            || !QuicVarint.TryRead(payload, ref position, out long reasonLength, out _)
            || reasonLength > payload.Length - position)
        {
            return QuicMalformedReason.FrameTruncated;
        }

        position += (int)reasonLength;
        return QuicMalformedReason.None;
    }
}
