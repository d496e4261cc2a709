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

    /// <summary>
    /// Reads the ClientHello until MeshGateway.ClientHello's parser decides, bounded by
    /// <see cref="ForwarderOptions.MaxClientHelloBytes"/> wire bytes (a hello not decided within them is
    /// <see cref="ClientHelloStatus.TooLarge"/>) and by the absolute <see cref="ForwarderOptions.SniffTimeout"/>
    /// (the heartbeat aborts the read). Nothing is consumed: every byte read is held in <see cref="_held"/> and
    /// replayed upstream. Returns the bytes held, or -1 when the connection was closed here.
    /// </summary>
    /// <remarks>
    /// A connection that has sent nothing holds no buffer: <see cref="WaitForFirstBytesAsync"/> has waited with a
    /// zero-byte receive (readiness only, as Kestrel's socket transport waits) before this runs, and the buffer is
    /// rented once bytes are there, sized to what arrived and grown as the parser asks for more (what it knows is
    /// still missing, at least doubling), never past the wire cap.
    /// </remarks>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<int> SniffAsync(ClientHelloParserOptions parserOptions)
    {
        int budget = _settings.MaxClientHelloBytes;
        byte[] buffer = _held = _stages.Buffers.Rent(Math.Clamp(_client.ReceivableBytes, MinimumSniffBuffer, budget));
        var state = new ClientHelloParserState(parserOptions);
        int filled = 0;
        bool grown = false;
        while (true)
        {
            // The client-to-upstream direction's operation: the pump reuses it.
            int read = await _client.ReceiveAsync(buffer.AsMemory(filled, Math.Min(buffer.Length, budget) - filled), ref _toUpstream).ConfigureAwait(false);
            if (read < 0)
            {
                AbortOnSocketError(CloseCause.ClientReset, _client, _toUpstream);
                return -1;
            }

            if (read == 0)
            {
                // The client closed before it finished its ClientHello.
                Abort(CloseCause.ClientClosed, error: null, reset: false);
                return -1;
            }

            filled += read;
            ClientHelloStatus status = ClientHelloSniff.Step(buffer.AsSpan(0, filled), ref state, out SniffedClientHello? sniffed);
            if (status == ClientHelloStatus.NeedMoreData)
            {
                if (filled < budget)
                {
                    if (filled == buffer.Length)
                    {
                        buffer = GrowHeld(filled, Math.Max(state.BytesNeeded, _client.ReceivableBytes), budget, exact: !grown);
                        grown = true;
                    }

                    continue;
                }

                status = ClientHelloStatus.TooLarge;
            }

            Context.ClientHello = sniffed;
            Context.SniffStatus = status;
            _stages.Metrics.SniffCompleted(_stages.TimeProvider.GetElapsedTime(_startTimestamp), status);
            if (status == ClientHelloStatus.TooLarge)
            {
                Refuse(CloseCause.ClientHelloTooLarge);
                return -1;
            }

            return filled;
        }
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
    private byte[] GrowHeld(int filled, int needed, int budget, bool exact)
    {
        byte[] old = _held!;
        int size = filled + Math.Max(1, needed);
        byte[] grown = _stages.Buffers.Rent(Math.Min(budget, exact ? size : Math.Max(filled * 2, size)));
        old.AsSpan(0, filled).CopyTo(grown);
        _held = grown;
        _stages.Buffers.Return(old);
        return grown;
    }
}
