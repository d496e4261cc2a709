using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;

namespace MeshGateway.Forwarding;

internal sealed partial class ForwardedConnection
{
    /// <summary>
    /// Runs both directions until both are done or the connection is torn down: <c>splice(2)</c> when the mode asks
    /// for it and both sides are kernel sockets (<see cref="KernelSpliceAsync"/>), otherwise the copy loop.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask PumpAsync()
    {
        ConnectionSide upstream = _upstream!;
        bool kernel = SplicesFromStart(upstream);
        ValueTask toUpstream, toClient;
        // The pumps are the engine's own non-blocking work: their continuations run on the readiness loop's thread.
        _client.SetInlineCompletions(inline: true);
        upstream.SetInlineCompletions(inline: true);
        if (kernel)
        {
            toUpstream = KernelSpliceAsync(_client, upstream, fromClient: true);
            toClient = KernelSpliceAsync(upstream, _client, fromClient: false);
        }
        else if (_settings.UseZeroByteReads && _client is ReadinessSocketSide ownClient && upstream is ReadinessSocketSide ownUpstream)
        {
            // Both sockets on the own loop (the Linux default): one callback-driven pump for both directions.
            toUpstream = ReadinessCopyAsync(ownClient, ownUpstream);
            toClient = ValueTask.CompletedTask;
        }
        else
        {
            toUpstream = CopyAsync(_client, upstream, fromClient: true);
            toClient = CopyAsync(upstream, _client, fromClient: false);
        }

        // Both directions run at once; each pooled ValueTask is awaited exactly once, and both are awaited even if the
        // first failed unexpectedly (as Task.WhenAll did, without its two tasks and promise per connection).
        ExceptionDispatchInfo? failure = null;
        try
        {
            await toUpstream.ConfigureAwait(false);
        }
        catch (Exception e)
        {
            failure = ExceptionDispatchInfo.Capture(e);
        }

        await toClient.ConfigureAwait(false);
        failure?.Throw();
        if (!_onLoop)
        {
            // The last direction may have finished on the readiness loop's thread; what follows (observers that may
            // block) is not the loop's work.
            await LeaveLoopAsync().ConfigureAwait(false);
        }

        ClosePumped();
    }

    /// <summary>
    /// True when both directions splice from their first byte: <see cref="PumpMode.SpliceWhenPossible"/>, Linux, and
    /// two kernel sockets (<see cref="PumpMode.Auto"/> starts on the copy and switches per direction).
    /// </summary>
    private bool SplicesFromStart(ConnectionSide upstream) =>
        _settings.Pump == PumpMode.SpliceWhenPossible && LinuxSplice.IsSupported && _client.CanSpliceWith(upstream);

    /// <summary>
    /// One direction: (zero-byte wait →) rent → receive → send all → return the buffer while idle. EOF half-closes
    /// the destination; a failed receive is a reset by the source; a failed send means the destination is gone.
    /// Backpressure is inherent: nothing more is read until the previous send completed.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask CopyAsync(ConnectionSide source, ConnectionSide destination, bool fromClient)
    {
        // The receives and sends are awaited here, not through ReceiveAsync/SendAsync: one state machine per direction
        // for the connection's life, not one more per wait (each pending wait rented a box of its own).
        int size = _settings.BufferSize;
        bool zeroByteReads = _settings.UseZeroByteReads && source.SupportsZeroByteReads;
        CloseCause sourceReset = ResetBy(client: fromClient);
        CloseCause destinationReset = ResetBy(client: !fromClient);
        byte[]? buffer = null;
        try
        {
            while (true)
            {
                int read;
                try
                {
                    if (zeroByteReads && buffer is null)
                    {
                        read = await source.ReceiveAsync(Memory<byte>.Empty, ref Operation(fromClient)).ConfigureAwait(false);
                        if (read < 0)
                        {
                            AbortOnSocketError(sourceReset, source, Operation(fromClient));
                            return;
                        }
                    }

                    buffer ??= _stages.Buffers.Rent(size);
                    read = await source.ReceiveAsync(buffer.AsMemory(0, size), ref Operation(fromClient)).ConfigureAwait(false);
                }
                catch (Exception error) when (ConnectionSide.IsTransportError(error))
                {
                    Abort(sourceReset, error, reset: true);
                    return;
                }

                if (read <= 0)
                {
                    if (read == 0)
                    {
                        OnSourceFinished(destination, fromClient);
                    }
                    else
                    {
                        AbortOnSocketError(sourceReset, source, Operation(fromClient));
                    }

                    return;
                }

                Touch();
                bool sent;
                try
                {
                    sent = await destination.SendAsync(buffer.AsMemory(0, read), ref Operation(fromClient)).ConfigureAwait(false);
                }
                catch (Exception error) when (ConnectionSide.IsTransportError(error))
                {
                    Abort(destinationReset, error, reset: true);
                    return;
                }

                if (!sent)
                {
                    // The destination is gone and these bytes are lost: the source is reset too.
                    AbortOnSocketError(destinationReset, destination, Operation(fromClient));
                    return;
                }

                Interlocked.Add(ref fromClient ? ref Context.BytesFromClientCounter : ref Context.BytesToClientCounter, read);
                Touch();
                if (zeroByteReads && read < size)
                {
                    // The socket is drained: give the buffer back before waiting (idle connections hold none).
                    _stages.Buffers.Return(buffer);
                    buffer = null;
                }
            }
        }
        finally
        {
            if (buffer is not null)
            {
                _stages.Buffers.Return(buffer);
            }
        }
    }

    /// <summary>
    /// Receives from <paramref name="source"/> through the direction's operation: the bytes read (0 = end of
    /// stream, or data ready for an empty buffer), or -1 once the failure (a reset by the source, or a teardown
    /// already in progress, in which case the cause is set) has closed the connection.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<int> ReceiveAsync(ConnectionSide source, Memory<byte> buffer, bool fromClient)
    {
        CloseCause reset = ResetBy(client: fromClient);
        try
        {
            int read = await source.ReceiveAsync(buffer, ref Operation(fromClient)).ConfigureAwait(false);
            if (read < 0)
            {
                AbortOnSocketError(reset, source, Operation(fromClient));
            }

            return read;
        }
        catch (Exception error) when (ConnectionSide.IsTransportError(error))
        {
            Abort(reset, error, reset: true);
            return -1;
        }
    }

    /// <summary>
    /// Sends all of <paramref name="data"/> to <paramref name="destination"/>; false once its failure has closed the
    /// connection (the destination is gone and these bytes are lost: the source is reset too).
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<bool> SendAsync(ConnectionSide destination, ReadOnlyMemory<byte> data, bool fromClient)
    {
        CloseCause reset = ResetBy(client: !fromClient);
        try
        {
            if (await destination.SendAsync(data, ref Operation(fromClient)).ConfigureAwait(false))
            {
                return true;
            }

            AbortOnSocketError(reset, destination, Operation(fromClient));
            return false;
        }
        catch (Exception error) when (ConnectionSide.IsTransportError(error))
        {
            Abort(reset, error, reset: true);
            return false;
        }
    }

    /// <summary>The direction's operation slot: receives from the source and sends to the destination never overlap.</summary>
    private ref SocketPumpOperation? Operation(bool fromClient) => ref fromClient ? ref _toUpstream : ref _toClient;

    /// <summary>
    /// <see cref="Abort(CloseCause, Exception?, bool)"/> for a socket error reported without an exception; the
    /// <see cref="SocketException"/> (not thrown: no stack trace) is made only for the cause that is kept.
    /// </summary>
    private void AbortOnSocketError(CloseCause cause, ConnectionSide side, SocketPumpOperation? operation)
    {
        // A cause already set (a teardown aborted this operation) wins anyway: Abort would do nothing.
        if (Cause == CloseCause.None)
        {
            Abort(cause, new SocketException((int)side.Failure(operation)), reset: true);
        }
    }

    /// <summary>FIN from the source: forward it as <c>Shutdown(Send)</c>; the other direction keeps flowing.</summary>
    private void OnSourceFinished(ConnectionSide destination, bool fromClient)
    {
        // Record who finished first before the FIN goes out: the peer may react to it at once.
        if (Cause == CloseCause.None
            && Interlocked.CompareExchange(ref _firstClosed, fromClient ? ClientClosedFirst : UpstreamClosedFirst, NoneClosed) == NoneClosed)
        {
            Volatile.Write(ref _halfClosedAt, _stages.TimeProvider.GetTimestamp());
            Context.Phase = ForwardingPhase.HalfClosed;
        }

        if (destination.CloseSendsFin && Volatile.Read(ref _finishedDirections) == 1)
        {
            // The other direction is done, its FIN passed on: the teardown that follows at once closes both sockets
            // (the engine owns them), and close(2) sends this FIN itself (the destination's own input ended in a FIN,
            // so nothing unread makes it a reset). One shutdown(2) less per connection, as HAProxy closes without one.
            Interlocked.Increment(ref _finishedDirections);
            return;
        }

        try
        {
            destination.ShutdownSend();
            Interlocked.Increment(ref _finishedDirections);
        }
        catch (Exception e) when (ConnectionSide.IsTransportError(e))
        {
            // The destination is already gone; its own direction reports how.
        }
    }
}
