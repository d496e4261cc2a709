namespace MeshGateway.ClientHello;

public static partial class QuicInitialParser
{
    // The CRYPTO stream (RFC 9000 §19.6, RFC 9001 §4.1.3) arrives in pieces at any offset, in any order, and may be
    // sent again: bytes already held must be the same (a retransmission), or the stream is malformed. The held bytes
    // are tracked as sorted, disjoint [start, end) ranges; the stream must fit the caller's buffer and the handshake
    // cap. Returns Done once [0, 4 + ClientHello length) is held.
    private static QuicSniffStatus AddCryptoData(long offset, ReadOnlySpan<byte> data, scoped ref QuicInitialParserState state, Span<byte> cryptoBuffer)
    {
        if (data.IsEmpty)
        {
            return QuicSniffStatus.NeedMoreData;
        }

        int capacity = Math.Min(cryptoBuffer.Length, state.Options.MaxCryptoBytes);
        if (offset + data.Length > capacity)
        {
            return TooLarge(ref state, QuicSniffLimit.CryptoBytes);
        }

        int start = (int)offset;
        int end = start + data.Length;
        Span<QuicCryptoRange> ranges = state.Ranges;
        int count = state.RangeCount;

        // first: the first range touching or after `start`; last: the last range touching or before `end`.
        int first = 0;
        while (first < count && ranges[first].End < start)
        {
            first++;
        }

        int last = first - 1;
        for (int i = first; i < count && ranges[i].Start <= end; i++)
        {
            last = i;
            int from = Math.Max(start, ranges[i].Start);
            int to = Math.Min(end, ranges[i].End);
            if (to > from && !data[(from - start)..(to - start)].SequenceEqual(cryptoBuffer[from..to]))
            {
                return Malformed(ref state, QuicMalformedReason.CryptoDataConflict);
            }
        }

        // Ranges first..last merge with the new one into a single range.
        int merged = last - first + 1;
        int newCount = count - merged + 1;
        int newStart = merged > 0 ? Math.Min(start, ranges[first].Start) : start;
        int newEnd = merged > 0 ? Math.Max(end, ranges[last].End) : end;
        int holes = newCount - ((first == 0 ? newStart : ranges[0].Start) == 0 ? 1 : 0);
        if (holes > state.Options.MaxCryptoGaps)
        {
            return TooLarge(ref state, QuicSniffLimit.CryptoGaps);
        }

        data.CopyTo(cryptoBuffer[start..]);
        if (merged == 0)
        {
            ranges[first..count].CopyTo(ranges[(first + 1)..]);
        }
        else if (merged > 1)
        {
            ranges[(last + 1)..count].CopyTo(ranges[(first + 1)..]);
        }

        ranges[first] = new QuicCryptoRange { Start = newStart, End = newEnd };
        state.RangeCount = newCount;
        return CheckHelloComplete(ref state, cryptoBuffer);
    }

    // struct { HandshakeType msg_type = client_hello(1); uint24 length; ClientHello body; } Handshake;  (RFC 8446 §4)
    private static QuicSniffStatus CheckHelloComplete(scoped ref QuicInitialParserState state, ReadOnlySpan<byte> cryptoBuffer)
    {
        QuicCryptoRange held = state.Ranges[0];
        if (held.Start != 0)
        {
            return QuicSniffStatus.NeedMoreData;
        }

        // Decided on the stream's first byte, as soon as it is here.
        if (cryptoBuffer[0] != TlsWire.HandshakeTypeClientHello)
        {
            return Malformed(ref state, QuicMalformedReason.NotClientHello);
        }

        if (held.End < TlsWire.HandshakeHeaderLength)
        {
            return QuicSniffStatus.NeedMoreData;
        }

        int streamLength = TlsWire.HandshakeHeaderLength + HandshakeLength(cryptoBuffer);
        if (streamLength > Math.Min(cryptoBuffer.Length, state.Options.MaxCryptoBytes))
        {
            return TooLarge(ref state, QuicSniffLimit.CryptoBytes);
        }

        return held.End >= streamLength ? QuicSniffStatus.Done : QuicSniffStatus.NeedMoreData;
    }
}
