using System.Buffers;
using System.Net.Sockets;
using System.Runtime.CompilerServices;

namespace MeshGateway.Forwarding;

internal sealed partial class ForwardedConnection
{
    /// <summary>
    /// Sends [preamble][held bytes] upstream in one send: the PROXY spec wants its header "at once", and the
    /// held bytes are exactly what was read from the client, unchanged.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask ReplayAsync(byte[] held, int heldLength)
    {
        ConnectionSide upstream = _upstreamSide!;
        IUpstreamPreambleWriter? preamble = Context.Route!.Cluster.Preamble;
        if (preamble is null)
        {
            if (heldLength > 0)
            {
                await upstream.SendAsync(held.AsMemory(0, heldLength)).ConfigureAwait(false);
            }
        }
        else
        {
            byte[] first = ArrayPool<byte>.Shared.Rent(preamble.GetMaxLength(Context) + heldLength);
            try
            {
                int written = preamble.Write(Context, first);
                held.AsSpan(0, heldLength).CopyTo(first.AsSpan(written));
                await upstream.SendAsync(first.AsMemory(0, written + heldLength)).ConfigureAwait(false);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(first);
            }
        }

        Interlocked.Add(ref Context.BytesFromClientCounter, heldLength);
    }

    /// <summary>Runs both directions until both are done or the connection is torn down.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask SpliceAsync()
    {
        ConnectionSide upstream = _upstreamSide!;
        Task toUpstream, toClient;
        bool kernel = _settings.Pump == PumpMode.SpliceWhenPossible && LinuxSplice.IsSupported
            && _client is SocketConnectionSide && upstream is SocketConnectionSide;
        if (kernel)
        {
            var client = (SocketConnectionSide)_client;
            var server = (SocketConnectionSide)upstream;
            SetInlineCompletions(client, server, inline: true);
            toUpstream = KernelSpliceAsync(client, server, fromClient: true);
            toClient = KernelSpliceAsync(server, client, fromClient: false);
        }
        else
        {
            toUpstream = PumpAsync(_client, upstream, fromClient: true, _clientReceive);
            toClient = PumpAsync(upstream, _client, fromClient: false);
        }

        await Task.WhenAll(toUpstream, toClient).ConfigureAwait(false);
        if (kernel)
        {
            // The last direction may have finished on the readiness loop's thread; what follows (teardown, observers,
            // logs) is not the loop's work.
            SetInlineCompletions((SocketConnectionSide)_client, (SocketConnectionSide)upstream, inline: false);
            await Task.Yield();
        }

        Abort(Volatile.Read(ref _firstClosed) == UpstreamClosedFirst ? CloseCause.UpstreamClosed : CloseCause.ClientClosed, error: null, reset: false);
    }

    /// <summary>
    /// One direction: (zero-byte wait →) rent → receive → send all → return the buffer while idle. EOF half-closes
    /// the destination; a failed receive is a reset by the source; a failed send means the destination is gone.
    /// Backpressure is inherent: nothing more is read until the previous send completed. Socket sides go through one
    /// <see cref="SocketPumpOperation"/> per direction (<paramref name="operation"/> when the sniff already made one),
    /// so a reset or a teardown is a status here, not a thrown exception.
    /// </summary>
    private async Task PumpAsync(ConnectionSide source, ConnectionSide destination, bool fromClient, SocketPumpOperation? operation = null)
    {
        int size = _settings.BufferSize;
        bool zeroByteReads = _settings.UseZeroByteReads && source.SupportsZeroByteReads;
        Socket? sourceSocket = source.RuntimeSocket;
        Socket? destinationSocket = destination.RuntimeSocket;
        using SocketPumpOperation? socketOperation = operation ?? (sourceSocket is null && destinationSocket is null ? null : new SocketPumpOperation());
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
                        read = sourceSocket is null
                            ? await source.ReceiveAsync(Memory<byte>.Empty).ConfigureAwait(false)
                            : await socketOperation!.ReceiveAsync(sourceSocket, Memory<byte>.Empty).ConfigureAwait(false);
                        if (read < 0)
                        {
                            // RST from the source (or a teardown already in progress, in which case the cause is set).
                            AbortOnSocketError(fromClient ? CloseCause.ClientReset : CloseCause.UpstreamReset, socketOperation!.Error);
                            return;
                        }
                    }

                    buffer ??= ArrayPool<byte>.Shared.Rent(size);
                    read = sourceSocket is null
                        ? await source.ReceiveAsync(buffer.AsMemory(0, size)).ConfigureAwait(false)
                        : await socketOperation!.ReceiveAsync(sourceSocket, buffer.AsMemory(0, size)).ConfigureAwait(false);
                }
                catch (Exception error) when (ConnectionSide.IsTransportError(error))
                {
                    // RST from the source (or a teardown already in progress, in which case the cause is set).
                    Abort(fromClient ? CloseCause.ClientReset : CloseCause.UpstreamReset, error, reset: true);
                    return;
                }

                if (read < 0)
                {
                    AbortOnSocketError(fromClient ? CloseCause.ClientReset : CloseCause.UpstreamReset, socketOperation!.Error);
                    return;
                }

                if (read == 0)
                {
                    OnSourceFinished(destination, fromClient);
                    return;
                }

                Touch();
                bool sent;
                try
                {
                    if (destinationSocket is null)
                    {
                        await destination.SendAsync(buffer.AsMemory(0, read)).ConfigureAwait(false);
                        sent = true;
                    }
                    else
                    {
                        sent = await socketOperation!.SendAllAsync(destinationSocket, buffer.AsMemory(0, read)).ConfigureAwait(false);
                    }
                }
                catch (Exception error) when (ConnectionSide.IsTransportError(error))
                {
                    // The destination is gone and these bytes are lost: reset the source too.
                    Abort(fromClient ? CloseCause.UpstreamReset : CloseCause.ClientReset, error, reset: true);
                    return;
                }

                if (!sent)
                {
                    AbortOnSocketError(fromClient ? CloseCause.UpstreamReset : CloseCause.ClientReset, socketOperation!.Error);
                    return;
                }

                Interlocked.Add(ref fromClient ? ref Context.BytesFromClientCounter : ref Context.BytesToClientCounter, read);
                Touch();
                if (zeroByteReads && read < size)
                {
                    // The socket is drained: give the buffer back before waiting (idle connections hold none).
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = null;
                }
            }
        }
        finally
        {
            if (buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    private static void SetInlineCompletions(SocketConnectionSide client, SocketConnectionSide upstream, bool inline)
    {
        if (client is ReadinessSocketSide c)
        {
            c.InlineCompletions = inline;
        }

        if (upstream is ReadinessSocketSide u)
        {
            u.InlineCompletions = inline;
        }
    }

    /// <summary>
    /// <see cref="Abort(CloseCause, Exception?, bool)"/> for a socket error reported without an exception; the
    /// <see cref="SocketException"/> (not thrown: no stack trace) is made only for the cause that is kept.
    /// </summary>
    private void AbortOnSocketError(CloseCause cause, SocketError error)
    {
        // A cause already set (a teardown aborted this operation) wins anyway: Abort would do nothing.
        if (Cause == CloseCause.None)
        {
            Abort(cause, new SocketException((int)error), reset: true);
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

        try
        {
            destination.ShutdownSend();
        }
        catch (Exception e) when (ConnectionSide.IsTransportError(e))
        {
            // The destination is already gone; its own direction reports how.
        }
    }
}
