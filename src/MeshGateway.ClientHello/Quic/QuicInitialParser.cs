namespace MeshGateway.ClientHello;

/// <summary>
/// Reads a TLS ClientHello out of the Initial packets a QUIC client sends first (RFC 9000, RFC 9001; RFC 9369 for
/// version 2): long headers, Initial keys from the Destination Connection ID, header protection, AES-128-GCM, the
/// frames of each Initial packet, and the CRYPTO stream reassembled by offset. The handshake message is then parsed
/// by the same body parser as <see cref="ClientHelloParser"/>. Never an exception for network bytes.
/// </summary>
/// <remarks>
/// Feed one datagram per call with the same <see cref="QuicInitialParserState"/> and the same CRYPTO buffer; each
/// datagram is looked at once. Datagrams whose first packet carries another Destination Connection ID (or version)
/// than the first Initial are ignored and counted. For a class that holds the state and buffer, see
/// <see cref="QuicInitialSniffer"/>.
/// </remarks>
public static partial class QuicInitialParser
{
    /// <summary>The smallest CRYPTO buffer accepted: the shortest handshake message cap plus its 4-byte header.</summary>
    public const int MinCryptoBufferLength = ClientHelloParserOptions.MinMaxHandshakeLength + TlsWire.HandshakeHeaderLength;

    /// <summary>The JA4 length: the same as for TLS over TCP.</summary>
    public const int Ja4Length = 36;

    /// <summary>Reads one more datagram, resuming from <paramref name="state"/>.</summary>
    /// <param name="datagram">One UDP payload, as received.</param>
    /// <param name="state">The per-sniff state; updated.</param>
    /// <param name="cryptoBuffer">
    /// Where the CRYPTO stream is reassembled: the same memory, with the same contents, on every call for one state. Its
    /// length (up to <see cref="QuicInitialParserOptions.MaxCryptoBytes"/>) bounds the stream; at least
    /// <see cref="MinCryptoBufferLength"/>.
    /// </param>
    /// <param name="hello">When <see cref="QuicSniffStatus.Done"/>: the parsed hello, valid while <paramref name="cryptoBuffer"/> is.</param>
    /// <returns>The outcome; the state's properties say more.</returns>
    /// <exception cref="ArgumentException"><paramref name="cryptoBuffer"/> is too short, or its length changed since an earlier call with this state.</exception>
    public static QuicSniffStatus Parse(
        ReadOnlySpan<byte> datagram,
        scoped ref QuicInitialParserState state,
        Span<byte> cryptoBuffer,
        out ClientHelloInfo hello)
    {
        hello = default;
        if (state.CurrentPhase == QuicInitialParserState.Phase.Final)
        {
            return state.FinalStatus;
        }

        if (cryptoBuffer.Length < MinCryptoBufferLength
            || (state.BufferLength != 0 && state.BufferLength != cryptoBuffer.Length))
        {
            ThrowBadBuffer();
        }

        state.BufferLength = cryptoBuffer.Length;
        if (state.CurrentPhase == QuicInitialParserState.Phase.Done)
        {
            return FinishHello(cryptoBuffer, ref state, out hello);
        }

        state.Datagrams++;
        QuicSniffStatus status = ReadDatagram(datagram, ref state, cryptoBuffer);
        if (status == QuicSniffStatus.Done)
        {
            return FinishHello(cryptoBuffer, ref state, out hello);
        }

        if (status == QuicSniffStatus.NeedMoreData && state.Datagrams >= state.Options.MaxDatagrams)
        {
            return TooLarge(ref state, QuicSniffLimit.Datagrams);
        }

        return status;
    }

    /// <summary>Writes the JA4 fingerprint of a hello that came over QUIC: the TLS JA4 with the protocol character <c>q</c> (FoxIO JA4.md).</summary>
    /// <param name="hello">A hello parsed by <see cref="Parse"/>.</param>
    /// <param name="destination">At least <see cref="Ja4Length"/> characters.</param>
    /// <param name="charsWritten"><see cref="Ja4Length"/> on success.</param>
    /// <returns>False when <paramref name="destination"/> is too small.</returns>
    public static bool TryFormatJa4(in ClientHelloInfo hello, Span<char> destination, out int charsWritten)
    {
        if (!hello.TryFormatJa4(destination, out charsWritten))
        {
            return false;
        }

        destination[0] = 'q';
        return true;
    }

    /// <summary>The <c>q</c> JA4 fingerprint (allocates); null when the hello has none.</summary>
    /// <param name="hello">A hello parsed by <see cref="Parse"/>.</param>
    /// <returns>The fingerprint or null.</returns>
    public static string? GetJa4(in ClientHelloInfo hello)
    {
        Span<char> buffer = stackalloc char[Ja4Length];
        return TryFormatJa4(hello, buffer, out int written) ? new string(buffer[..written]) : null;
    }

    // The CRYPTO stream holds the whole ClientHello from offset 0: parse it (again, when asked after Done).
    private static QuicSniffStatus FinishHello(Span<byte> cryptoBuffer, scoped ref QuicInitialParserState state, out ClientHelloInfo hello)
    {
        int messageLength = HandshakeLength(cryptoBuffer);
        ClientHelloStatus status = ClientHelloParser.ParseHandshakeMessage(
            cryptoBuffer.Slice(TlsWire.HandshakeHeaderLength, messageLength),
            state.Options.ClientHello,
            TlsWire.HandshakeHeaderLength + messageLength,
            out hello,
            out ClientHelloMalformedReason reason);
        switch (status)
        {
            case ClientHelloStatus.Done:
                state.CurrentPhase = QuicInitialParserState.Phase.Done;
                return QuicSniffStatus.Done;
            case ClientHelloStatus.TooLarge:
                return TooLarge(ref state, QuicSniffLimit.CryptoBytes);
            default:
                state.HelloReason = reason;
                return Malformed(ref state, QuicMalformedReason.ClientHello);
        }
    }

    private static int HandshakeLength(ReadOnlySpan<byte> stream) => (stream[1] << 16) | (stream[2] << 8) | stream[3];

    private static QuicSniffStatus Fail(scoped ref QuicInitialParserState state, QuicSniffStatus status)
    {
        state.CurrentPhase = QuicInitialParserState.Phase.Final;
        state.FinalStatus = status;
        return status;
    }

    private static QuicSniffStatus Malformed(scoped ref QuicInitialParserState state, QuicMalformedReason reason)
    {
        state.Reason = reason;
        return Fail(ref state, QuicSniffStatus.Malformed);
    }

    private static QuicSniffStatus TooLarge(scoped ref QuicInitialParserState state, QuicSniffLimit limit)
    {
        state.Limit = limit;
        return Fail(ref state, QuicSniffStatus.TooLarge);
    }

    private static void ThrowBadBuffer() =>
        throw new ArgumentException(
            $"The CRYPTO buffer must hold at least {MinCryptoBufferLength} bytes and keep the same length (and contents) for every call with one state.",
            "cryptoBuffer");
}
