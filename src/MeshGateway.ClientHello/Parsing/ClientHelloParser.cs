using System.Buffers;

namespace MeshGateway.ClientHello;

/// <summary>
/// The ClientHello parser: the client's first bytes in, a <see cref="ClientHelloStatus"/> out, never an exception
/// for network bytes and never a heap allocation on the hot path. The input is never consumed; a
/// <see cref="ClientHelloInfo"/> reports how many bytes the ClientHello occupies.
/// </summary>
/// <remarks>
/// The record layer (RFC 8446 §5.1) is walked incrementally and its progress kept in a
/// <see cref="ClientHelloParserState"/>; the handshake message is parsed once, when all of it has arrived. A hello that
/// fits in the first record is parsed in place; one fragmented over several records (or a multi-segment sequence) is
/// reassembled into the caller's buffer, or a pooled one when that is too small.
/// </remarks>
public static partial class ClientHelloParser
{
    /// <summary>Parses the whole buffered prefix in one go, with no state kept between calls.</summary>
    /// <param name="buffered">Every byte the client has sent so far, starting with its first.</param>
    /// <param name="options">Profile and limits; null means <see cref="ClientHelloParserOptions.Default"/>.</param>
    /// <param name="hello">When <see cref="ClientHelloStatus.Done"/>: the parsed hello. Dispose it to return a pooled buffer.</param>
    /// <param name="bytesNeeded">When <see cref="ClientHelloStatus.NeedMoreData"/>: the minimum further bytes needed.</param>
    /// <param name="reason">When <see cref="ClientHelloStatus.Malformed"/>: the failed check.</param>
    /// <returns>The outcome.</returns>
    public static ClientHelloStatus Parse(
        ReadOnlySpan<byte> buffered,
        ClientHelloParserOptions? options,
        out ClientHelloInfo hello,
        out int bytesNeeded,
        out ClientHelloMalformedReason reason)
    {
        var state = new ClientHelloParserState(options);
        ClientHelloStatus status = Parse(buffered, ref state, default, out hello);
        bytesNeeded = state.BytesNeeded;
        reason = state.MalformedReason;
        return status;
    }

    /// <summary>Parses the buffered prefix, resuming from <paramref name="state"/>.</summary>
    /// <param name="buffered">Every byte the client has sent so far, starting with its first: the same prefix as the last call, possibly longer.</param>
    /// <param name="state">The per-connection state; updated.</param>
    /// <param name="reassemblyBuffer">Where a multi-record hello is reassembled; when shorter than the handshake message a pooled buffer is rented.</param>
    /// <param name="hello">When <see cref="ClientHelloStatus.Done"/>: the parsed hello, valid while <paramref name="buffered"/> and <paramref name="reassemblyBuffer"/> are. Dispose it to return a pooled buffer.</param>
    /// <returns>The outcome; <see cref="ClientHelloParserState.BytesNeeded"/> and <see cref="ClientHelloParserState.MalformedReason"/> say more.</returns>
    /// <exception cref="ArgumentException"><paramref name="buffered"/> is shorter than on an earlier call with this state.</exception>
    public static ClientHelloStatus Parse(
        ReadOnlySpan<byte> buffered,
        scoped ref ClientHelloParserState state,
        Span<byte> reassemblyBuffer,
        out ClientHelloInfo hello)
    {
        // The common case straight through, without the general walker's BufferedInput (a 50-byte struct whose
        // by-value copies showed up in profiles): a fresh state and the whole hello in one buffered record.
        if (state.CurrentPhase == ClientHelloParserState.Phase.Start
            && buffered.Length >= state.LastInputLength
            && TryWalkSingleRecord(buffered, ref state))
        {
            state.LastInputLength = buffered.Length;
            state.Needed = 0;
            return FinishMessage(
                buffered.Slice(TlsWire.RecordHeaderLength + TlsWire.HandshakeHeaderLength, HandshakeLength(in state)), null, ref state, out hello);
        }

        return ParseCore(new BufferedInput(buffered), ref state, reassemblyBuffer, out hello);
    }

    /// <summary>Parses the buffered prefix held in a sequence (for example a <c>PipeReader</c> peek), resuming from <paramref name="state"/>.</summary>
    /// <param name="buffered">Every byte the client has sent so far, starting with its first. A single segment is parsed in place.</param>
    /// <param name="state">The per-connection state; updated.</param>
    /// <param name="reassemblyBuffer">Where a multi-record or multi-segment hello is reassembled; when too short a pooled buffer is rented.</param>
    /// <param name="hello">When <see cref="ClientHelloStatus.Done"/>: the parsed hello. Dispose it to return a pooled buffer.</param>
    /// <returns>The outcome.</returns>
    /// <exception cref="ArgumentException"><paramref name="buffered"/> is shorter than on an earlier call with this state.</exception>
    public static ClientHelloStatus Parse(
        in ReadOnlySequence<byte> buffered,
        scoped ref ClientHelloParserState state,
        Span<byte> reassemblyBuffer,
        out ClientHelloInfo hello) =>
        ParseCore(new BufferedInput(buffered), ref state, reassemblyBuffer, out hello);

    /// <summary>Tries to parse a complete ClientHello in one go; false for every status but <see cref="ClientHelloStatus.Done"/>.</summary>
    /// <param name="buffered">Every byte the client has sent so far, starting with its first.</param>
    /// <param name="hello">The parsed hello when true. Dispose it to return a pooled buffer.</param>
    /// <returns>True when the status is <see cref="ClientHelloStatus.Done"/>.</returns>
    public static bool TryParse(ReadOnlySpan<byte> buffered, out ClientHelloInfo hello) =>
        Parse(buffered, null, out hello, out _, out _) == ClientHelloStatus.Done;

    private static ClientHelloStatus ParseCore(
        BufferedInput input,
        scoped ref ClientHelloParserState state,
        Span<byte> reassemblyBuffer,
        out ClientHelloInfo hello)
    {
        if (input.Length < state.LastInputLength)
        {
            ThrowInputShrank();
        }

        state.LastInputLength = input.Length;
        state.Needed = 0;
        if (state.CurrentPhase == ClientHelloParserState.Phase.Final)
        {
            hello = default;
            return state.FinalStatus;
        }

        ClientHelloStatus status = state.CurrentPhase == ClientHelloParserState.Phase.Start
            && input.IsContiguous
            && TryWalkSingleRecord(input.Span, ref state)
                ? ClientHelloStatus.Done
                : WalkRecords(input, ref state);
        if (status != ClientHelloStatus.Done)
        {
            hello = default;
            return status;
        }

        return state.CurrentPhase == ClientHelloParserState.Phase.LegacyV2
            ? FinishLegacyV2(input, ref state, reassemblyBuffer, out hello)
            : FinishRecords(input, ref state, reassemblyBuffer, out hello);
    }

    private static ClientHelloStatus NeedMore(ref ClientHelloParserState state, int needed)
    {
        state.Needed = needed;
        return ClientHelloStatus.NeedMoreData;
    }

    private static ClientHelloStatus Fail(ref ClientHelloParserState state, ClientHelloStatus status)
    {
        state.CurrentPhase = ClientHelloParserState.Phase.Final;
        state.FinalStatus = status;
        return status;
    }

    private static ClientHelloStatus Malformed(ref ClientHelloParserState state, ClientHelloMalformedReason reason)
    {
        state.Reason = reason;
        return Fail(ref state, ClientHelloStatus.Malformed);
    }

    private static void ThrowInputShrank() =>
        throw new ArgumentException(
            "The buffered input is shorter than on an earlier call with this state; pass the whole prefix the client sent, or reset the state.",
            "buffered");
}
