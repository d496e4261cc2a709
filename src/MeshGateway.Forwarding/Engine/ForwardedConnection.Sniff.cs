using System.Runtime.CompilerServices;
using MeshGateway.ClientHello;

namespace MeshGateway.Forwarding;

internal sealed partial class ForwardedConnection
{
    /// <summary>
    /// The smallest sniff buffer: the parser's smallest handshake cap, and the least the options allow for
    /// <see cref="ForwarderOptions.MaxClientHelloBytes"/>; a hello arriving a few bytes at a time starts here.
    /// </summary>
    private const int MinimumSniffBuffer = 256;

    /// <summary>The most bytes <see cref="ReceiveFirstBytes"/> reads at once (a hello in one full TLS record).</summary>
    private const int FirstReadSize = 16 * 1024 + 5;

    /// <summary>The thread's buffer for <see cref="ReceiveFirstBytes"/>: the bytes are copied out before it returns.</summary>
    [ThreadStatic]
    private static byte[]? t_firstRead;

    /// <summary>
    /// Reads what the client has sent so far without waiting, when its side can (a socket on the own readiness loop):
    /// into the thread's scratch buffer, then into a held buffer rented at the size that arrived, so a hello that is
    /// already there costs no readiness wait and no size query (HAProxy also reads at once after its accept). Returns
    /// the bytes now held, 0 when nothing has arrived yet or the side cannot tell (then the sniff waits and reads as
    /// usual), or -1 when the connection was closed here (the client finished or reset before its hello).
    /// </summary>
    private int ReceiveFirstBytes()
    {
        int budget = _settings.MaxClientHelloBytes;
        byte[] scratch = t_firstRead ??= new byte[FirstReadSize];
        int read = _client.TryReceive(scratch.AsMemory(0, Math.Min(scratch.Length, budget)));
        if (read is ConnectionSide.ReceiveNotSupported or ConnectionSide.NothingYet)
        {
            return 0;
        }

        if (ClosedBeforeHello(read))
        {
            return -1;
        }

        _held = _stages.Buffers.Rent(Math.Clamp(read, MinimumSniffBuffer, budget));
        scratch.AsSpan(0, read).CopyTo(_held);
        return read;
    }

    /// <summary>
    /// For a client read before the hello is complete: true when it ended the connection, which is then closed here
    /// (a negative result: the client reset, <see cref="CloseCause.ClientReset"/>; 0: it finished before its hello,
    /// <see cref="CloseCause.ClientClosed"/>).
    /// </summary>
    private bool ClosedBeforeHello(int read)
    {
        if (read < 0)
        {
            AbortOnSocketError(CloseCause.ClientReset, _client, _toUpstream);
            return true;
        }

        if (read == 0)
        {
            Abort(CloseCause.ClientClosed, error: null, reset: false);
            return true;
        }

        return false;
    }

    /// <summary>
    /// Reads the ClientHello until MeshGateway.ClientHello's parser decides, bounded by
    /// <see cref="ForwarderOptions.MaxClientHelloBytes"/> wire bytes (a hello not decided within them is
    /// <see cref="ClientHelloStatus.TooLarge"/>) and by the absolute <see cref="ForwarderOptions.SniffTimeout"/>
    /// (the heartbeat aborts the read). Nothing is consumed: every byte read is held in <see cref="_held"/> and
    /// replayed upstream. Returns the bytes held, or -1 when the connection was closed here.
    /// </summary>
    /// <param name="parserOptions">The parser's limits.</param>
    /// <param name="filled">Bytes <see cref="ReceiveFirstBytes"/> already holds in <see cref="_held"/> (0: none).</param>
    /// <remarks>
    /// A connection that has sent nothing holds no buffer: <see cref="WaitForFirstBytesAsync"/> has waited with a
    /// zero-byte receive (readiness only, as Kestrel's socket transport waits) before this runs, and the buffer is
    /// rented once bytes are there, sized to what arrived and grown as the parser asks for more (what it knows is
    /// still missing, at least doubling), never past the wire cap.
    /// </remarks>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<int> SniffAsync(ClientHelloParserOptions parserOptions, int filled)
    {
        int budget = _settings.MaxClientHelloBytes;
        byte[] buffer = _held ??= _stages.Buffers.Rent(Math.Clamp(_client.ReceivableBytes, MinimumSniffBuffer, budget));
        var state = new ClientHelloParserState(parserOptions);
        bool grown = false;
        bool receive = filled == 0;   // bytes ReceiveFirstBytes read are parsed before anything more is read
        while (true)
        {
            if (receive)
            {
                // The client-to-upstream direction's operation: the pump reuses it.
                int read = await _client.ReceiveAsync(buffer.AsMemory(filled, Math.Min(buffer.Length, budget) - filled), ref _toUpstream).ConfigureAwait(false);
                if (ClosedBeforeHello(read))
                {
                    return -1;
                }

                filled += read;
            }

            receive = true;
            switch (ParseHeld(filled, ref state, ref grown))
            {
                case SniffOutcome.ReadMore:
                    buffer = _held!;   // grown when it was full
                    continue;
                case SniffOutcome.Refused:
                    return -1;
                default:
                    return filled;
            }
        }
    }

    /// <summary>What one parse of the held bytes decided (<see cref="ParseHeld"/>).</summary>
    private enum SniffOutcome
    {
        /// <summary>Undecided and under the wire cap: read more (the held buffer has room).</summary>
        ReadMore,

        /// <summary>Decided: the connection goes on to route.</summary>
        Decided,

        /// <summary>Not decided within the wire cap: refused with <see cref="CloseCause.ClientHelloTooLarge"/>.</summary>
        Refused,
    }

    /// <summary>
    /// Parses the <paramref name="filled"/> bytes held in <see cref="_held"/>, resuming from <paramref name="state"/>. An
    /// undecided hello under <see cref="ForwarderOptions.MaxClientHelloBytes"/> gets room for more (<see cref="GrowHeld"/>
    /// when the buffer is full; <paramref name="grown"/> says whether it grew before); a decision, or a hello that
    /// reached the cap undecided (<see cref="ClientHelloStatus.TooLarge"/>, refused here), is recorded on the context
    /// and in the metrics. The one parse step of both sniffs, <see cref="SniffAsync"/> and the loop's.
    /// </summary>
    private SniffOutcome ParseHeld(int filled, ref ClientHelloParserState state, ref bool grown)
    {
        int budget = _settings.MaxClientHelloBytes;
        byte[] held = _held!;
        ClientHelloStatus status = ClientHelloSniff.Step(held.AsSpan(0, filled), ref state, out SniffedClientHello? sniffed);
        if (status == ClientHelloStatus.NeedMoreData)
        {
            if (filled < budget)
            {
                if (filled == held.Length)
                {
                    GrowHeld(filled, Math.Max(state.BytesNeeded, _client.ReceivableBytes), budget, exact: !grown);
                    grown = true;
                }

                return SniffOutcome.ReadMore;
            }

            status = ClientHelloStatus.TooLarge;
        }

        Context.ClientHello = sniffed;
        Context.SniffStatus = status;
        _stages.Metrics.SniffCompleted(_stages.TimeProvider.GetElapsedTime(_startTimestamp), status);
        if (status == ClientHelloStatus.TooLarge)
        {
            Refuse(CloseCause.ClientHelloTooLarge);
            return SniffOutcome.Refused;
        }

        return SniffOutcome.Decided;
    }

    /// <summary>
    /// Before the sniff: waits until the client has sent something, holding no buffer and no state machine of its own
    /// (the caller awaits the side's readiness directly): 0 once data (or a FIN, which the sniff's read then sees) is
    /// there, -1 when the client reset first (the caller closes with <see cref="CloseCause.ClientReset"/>).
    /// </summary>
    private ValueTask<int> WaitForFirstBytesAsync() =>
        _settings.UseZeroByteReads && _client.SupportsZeroByteReads
            ? _client.ReceiveAsync(Memory<byte>.Empty, ref _toUpstream)
            : ValueTask.FromResult(0);

    /// <summary>
    /// Moves the <paramref name="filled"/> bytes held into a larger buffer, at most <paramref name="budget"/>: the first
    /// time (<paramref name="exact"/>) room for exactly the <paramref name="needed"/> bytes the parser knows are missing
    /// (a hello in one record then ends in a buffer of its own size, whatever the first read's size was); after that
    /// at least twice the size, so a hello trickling in over many small records costs O(n) copies, not O(n²).
    /// </summary>
    private void GrowHeld(int filled, int needed, int budget, bool exact)
    {
        byte[] old = _held!;
        int size = filled + Math.Max(1, needed);
        byte[] grown = _stages.Buffers.Rent(Math.Min(budget, exact ? size : Math.Max(filled * 2, size)));
        old.AsSpan(0, filled).CopyTo(grown);
        _held = grown;
        _stages.Buffers.Return(old);
    }
}
