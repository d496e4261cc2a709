using System.Buffers;

namespace MeshGateway.Forwarding;

internal sealed partial class ForwardedConnection
{
    /// <summary>Pipe capacity asked for with F_SETPIPE_SZ: 1 MiB, as Go's splice path (§4.1: 256 KiB-1 MiB are equal, 64 KiB is slower).</summary>
    private const int SplicePipeSize = 1024 * 1024;

    /// <summary>The head of the pipe sent through the runtime when the destination is full (see below).</summary>
    private const int SpliceHeadSize = 4096;

    /// <summary>
    /// One direction with <c>splice(2)</c>: bytes go source socket → pipe → destination socket without entering user
    /// space. No thread waits per connection: a zero-byte receive waits until the source is readable, then
    /// non-blocking splices run until EAGAIN. Sockets on the forwarder's own readiness loop
    /// (<see cref="ReadinessSocketSide"/>, see <see cref="EpollReadiness"/>) also wait there for writability when
    /// the destination is full. Sockets the runtime waits on (a host's, such as Kestrel's) have no public
    /// write-readiness wait, so when such a destination is full a small head of the pipe is read out and sent with
    /// <c>SendAsync</c>, which parks until the socket drains; the rest of the pipe follows by splice. The pipe is
    /// taken from the process's pipe pool on a readable event and given back whenever it is drained and the source
    /// has nothing more (<see cref="LinuxSplice.RentPipe"/>): idle directions hold none.
    /// EOF, resets, byte counts and activity are handled exactly as in <see cref="CopyAsync"/>; when the kernel
    /// refuses the very first splice (EINVAL/ENOSYS) or no pipe can be made, the direction runs the copy loop.
    /// </summary>
    [System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask KernelSpliceAsync(ConnectionSide source, ConnectionSide destination, bool fromClient)
    {
        (int Read, int Write, int Capacity)? pipe = null;
        int inPipe = 0;
        bool moved = false;
        bool mustWait = true;
        try
        {
            while (true)
            {
                if (mustWait)
                {
                    if (await ReceiveAsync(source, Memory<byte>.Empty, fromClient).ConfigureAwait(false) < 0)
                    {
                        return;
                    }

                    mustWait = false;
                    pipe ??= LinuxSplice.RentPipe(SplicePipeSize);
                    if (pipe is null)
                    {
                        await CopyAsync(source, destination, fromClient).ConfigureAwait(false);
                        return;
                    }
                }

                // Drain: source socket → pipe, as much as the pipe holds.
                long result = LinuxSplice.Splice(source.SpliceHandle!, pipe!.Value.Write, socketToPipe: true, pipe.Value.Capacity - inPipe);
                bool endOfStream = false;
                if (result > 0)
                {
                    inPipe += (int)result;
                    moved = true;
                    Touch();
                }
                else if (result == 0)
                {
                    endOfStream = true;
                }
                else if (result == (long)SpliceStatus.WouldBlock)
                {
                    if (inPipe == 0)
                    {
                        // Drained and nothing more to read: the pipe goes back while this direction waits.
                        LinuxSplice.ReturnPipe(pipe.Value, empty: true);
                        pipe = null;
                        mustWait = true;
                        continue;
                    }
                }
                else if (result == (long)SpliceStatus.Unsupported && !moved)
                {
                    await CopyAsync(source, destination, fromClient).ConfigureAwait(false);
                    return;
                }
                else
                {
                    Abort(ResetBy(client: fromClient), error: null, reset: true);
                    return;
                }

                // Pump: pipe → destination socket, until the pipe is empty.
                if (!await FlushPipeAsync(pipe.Value.Read, inPipe, destination, fromClient).ConfigureAwait(false))
                {
                    return;
                }

                inPipe = 0;
                if (endOfStream)
                {
                    OnSourceFinished(destination, fromClient);
                    return;
                }
            }
        }
        finally
        {
            if (pipe is { } p)
            {
                // inPipe counts what was spliced in and not yet out: a pipe ended with bytes in it is closed.
                LinuxSplice.ReturnPipe(p, empty: inPipe == 0);
            }
        }
    }

    /// <summary>Empties the pipe into <paramref name="destination"/>; false when the destination is gone (already aborted).</summary>
    [System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<bool> FlushPipeAsync(int pipe, int inPipe, ConnectionSide destination, bool fromClient)
    {
        while (inPipe > 0)
        {
            long sent = LinuxSplice.Splice(destination.SpliceHandle!, pipe, socketToPipe: false, inPipe);
            if (sent == (long)SpliceStatus.WouldBlock && destination.CanWaitWritable)
            {
                // The destination is full: wait on the own loop until it drains, then splice on.
                try
                {
                    await destination.WaitWritableAsync().ConfigureAwait(false);
                }
                catch (Exception error) when (ConnectionSide.IsTransportError(error))
                {
                    Abort(ResetBy(client: !fromClient), error, reset: true);
                    return false;
                }

                continue;
            }

            if (sent == (long)SpliceStatus.WouldBlock || sent == (long)SpliceStatus.Unsupported)
            {
                // The destination is full: send a small head through the runtime, which waits for writability.
                byte[] head = _stages.Buffers.Rent(SpliceHeadSize);
                try
                {
                    sent = LinuxSplice.ReadPipe(pipe, head.AsSpan(0, Math.Min(SpliceHeadSize, inPipe)));
                    if (sent > 0 && !await SendAsync(destination, head.AsMemory(0, (int)sent), fromClient).ConfigureAwait(false))
                    {
                        return false;
                    }
                }
                catch (Exception error) when (ConnectionSide.IsTransportError(error))
                {
                    Abort(ResetBy(client: !fromClient), error, reset: true);
                    return false;
                }
                finally
                {
                    _stages.Buffers.Return(head);
                }
            }

            if (sent <= 0)
            {
                // The destination is gone and these bytes are lost: reset the source too.
                Abort(ResetBy(client: !fromClient), error: null, reset: true);
                return false;
            }

            inPipe -= (int)sent;
            Interlocked.Add(ref fromClient ? ref Context.BytesFromClientCounter : ref Context.BytesToClientCounter, sent);
            Touch();
        }

        return true;
    }
}
