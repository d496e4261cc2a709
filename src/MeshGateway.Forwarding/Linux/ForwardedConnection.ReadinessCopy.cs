using System.Threading.Tasks.Sources;

namespace MeshGateway.Forwarding;

internal sealed partial class ForwardedConnection
{
    /// <summary>Readiness copy: each direction's step, named so the loop calls it with the connection as state (no delegate per wait).</summary>
    private static readonly Action<object?> ClientToUpstreamReady = static state => ((ForwardedConnection)state!).OnCopyReady(fromClient: true);

    private static readonly Action<object?> UpstreamToClientReady = static state => ((ForwardedConnection)state!).OnCopyReady(fromClient: false);

    /// <summary>
    /// Both directions' state, taken when the copy starts (a connection that never streams carries none). The loop
    /// callbacks' kind goes back to the loop thread's pool once both directions are done (<see cref="EndDirection"/>).
    /// </summary>
    private CopyState? _copy;

    /// <summary>
    /// The copy pump for two sockets on the forwarder's own readiness loop (the Linux default): the same steps as
    /// <see cref="CopyAsync"/> — wait until the source is readable, rent, receive, send all, give the buffer back
    /// when the source is drained — but driven by the loop's callbacks, with both directions' state in one
    /// <see cref="CopyState"/> instead of an async state machine per direction: an idle connection holds that object
    /// and no buffer, and a wait allocates nothing. Completes when both directions are done.
    /// </summary>
    private ValueTask ReadinessCopyAsync(ReadinessSocketSide client, ReadinessSocketSide upstream)
    {
        var copy = (AwaitedCopyState)StartCopy(client, upstream, awaited: true);
        return new ValueTask(copy, copy.Version);
    }

    /// <summary>
    /// Sets both directions up and waits until each source is readable. <paramref name="awaited"/>: the copy's end
    /// completes a <see cref="ValueTask"/> (<see cref="ReadinessCopyAsync"/>); otherwise it finishes the connection.
    /// </summary>
    private CopyState StartCopy(ReadinessSocketSide client, ReadinessSocketSide upstream, bool awaited)
    {
        CopyState copy = (awaited ? new AwaitedCopyState() : LoopLocalPool<CopyState>.Rent() ?? new CopyState()).Start(client, upstream);
        _copy = copy;
        WaitToReceive(fromClient: true);
        WaitToReceive(fromClient: false);
        return copy;
    }

    private ref CopyDirection Direction(bool fromClient) => ref fromClient ? ref _copy!.ToUpstream : ref _copy!.ToClient;

    /// <summary>A wait of one direction completed (readable source, or writable destination with bytes pending), or failed.</summary>
    private void OnCopyReady(bool fromClient)
    {
        ref CopyDirection direction = ref Direction(fromClient);
        bool write = direction.Pending > 0;
        ReadinessSocketSide waitedOn = write ? direction.Destination : direction.Source;
        try
        {
            int result = waitedOn.TakeWaitResult(write);
            if (result < 0)
            {
                // The wait failed: a teardown closed the socket (the cause is set already), or the loop could not arm it.
                Fail(fromClient, waitedOn, write, result);
                return;
            }

            // The wait completed ready, so this runs on the loop thread of the socket waited on (OnEvents completes it
            // inline there; a teardown's Close completes it failed): that loop's receive buffer is this thread's.
            Copy(fromClient, waitedOn.Loop);
        }
#pragma warning disable CA1031 // Runs on the readiness loop: a bug here closes this connection, never the loop.
        catch (Exception error)
#pragma warning restore CA1031
        {
            DirectionFailed(error);
            EndDirection();
        }
    }

    /// <summary>A bug escaped a direction's step: logged, and the connection closes with <see cref="CloseCause.InternalError"/>.</summary>
    private void DirectionFailed(Exception error)
    {
        ForwarderLog.UnexpectedError(_stages.Logger, Context.ConnectionId, error);
        Abort(CloseCause.InternalError, error, reset: true);
    }

    /// <summary>
    /// Runs one direction until it must wait (a wait is then armed) or is done, on <paramref name="loop"/>'s thread.
    /// Receives go into the loop's own buffer (<see cref="EpollReadiness.CopyBuffer"/>), which serves one direction at a
    /// time and is free again when the step returns: a direction holds a buffer of its own (rented, with the unsent
    /// rest copied into it) only once the destination pushes back, and keeps it until its source is drained.
    /// </summary>
    private void Copy(bool fromClient, EpollReadiness loop)
    {
        ref CopyDirection direction = ref Direction(fromClient);
        int size = _settings.BufferSize;
        while (true)
        {
            if (direction.Pending == 0)
            {
                byte[] into = direction.Buffer ?? loop.CopyBuffer(size);
                int read = direction.Source.Receive(into.AsMemory(0, size));
                if (read == -LinuxSockets.EAgain)
                {
                    // Woken for nothing (or the last read filled the buffer exactly): wait holding no buffer.
                    WaitToReceive(fromClient);
                    return;
                }

                if (read <= 0)
                {
                    if (read == 0)
                    {
                        ReleaseBuffer(ref direction);
                        OnSourceFinished(direction.Destination, fromClient);
                        EndDirection();
                    }
                    else
                    {
                        Fail(fromClient, direction.Source, write: false, read);
                    }

                    return;
                }

                Touch();
                direction.Read = read;
                direction.Sent = 0;
                direction.Pending = read;
            }

            byte[] from = direction.Buffer ?? loop.CopyBuffer(size);
            int sent = direction.Destination.Send(from.AsMemory(direction.Sent, direction.Pending));
            if (sent == -LinuxSockets.EAgain)
            {
                // Backpressure: nothing more is read from the source until the destination took these bytes, which
                // move out of the loop's buffer into the direction's own (the loop's serves the next step).
                HoldPending(ref direction, from);
                Wait(fromClient, direction.Destination, write: true);
                return;
            }

            if (sent < 0)
            {
                // The destination is gone and these bytes are lost: the source is reset too.
                Fail(fromClient, direction.Destination, write: true, sent);
                return;
            }

            direction.Sent += sent;
            direction.Pending -= sent;
            if (direction.Pending > 0)
            {
                continue;
            }

            Interlocked.Add(ref fromClient ? ref Context.BytesFromClientCounter : ref Context.BytesToClientCounter, direction.Read);
            Touch();
            if (direction.Read < size)
            {
                // The source is drained: give the buffer back before waiting (idle connections hold none).
                WaitToReceive(fromClient);
                return;
            }

            if (SplicesBulk())
            {
                // A full buffer: the source had more queued than it holds, a bulk transfer. Every byte read so far is
                // sent; from here this direction splices (PumpMode.Auto).
                ReleaseBuffer(ref direction);
                _ = SpliceRestAsync(fromClient);
                return;
            }
        }
    }

    /// <summary>
    /// <see cref="PumpMode.Auto"/>: true when a direction that just moved a full buffer should splice from now on
    /// (Linux splice available and a pipe within <see cref="ForwarderSettings.SplicePipeBudget"/>).
    /// </summary>
    private bool SplicesBulk() =>
        _settings.Pump == PumpMode.Auto && LinuxSplice.IsSupported && LinuxSplice.PipesInUse < _settings.SplicePipeBudget;

    /// <summary>
    /// The rest of one direction of the readiness copy with <c>splice(2)</c> (<see cref="KernelSpliceAsync"/>, which
    /// handles the FIN, resets and byte counts as the copy does, and copies itself when no pipe can be had), then the
    /// direction's end as the copy reports it. Runs only for bulk directions: its task is the one allocation.
    /// </summary>
    private async Task SpliceRestAsync(bool fromClient)
    {
        ref CopyDirection direction = ref Direction(fromClient);
        ReadinessSocketSide source = direction.Source;
        ReadinessSocketSide destination = direction.Destination;
        _forwarder.OnDirectionSpliced();
        try
        {
            await KernelSpliceAsync(source, destination, fromClient).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Runs on the readiness loop: a bug here closes this connection, never the loop.
        catch (Exception error)
#pragma warning restore CA1031
        {
            DirectionFailed(error);
        }

        EndDirection();
    }

    /// <summary>Gives the direction's buffer back and waits until its source is readable.</summary>
    private void WaitToReceive(bool fromClient)
    {
        ref CopyDirection direction = ref Direction(fromClient);
        ReleaseBuffer(ref direction);
        Wait(fromClient, direction.Source, write: false);
    }

    private void Wait(bool fromClient, ReadinessSocketSide side, bool write)
    {
        int armed = side.WaitReady(write, fromClient ? ClientToUpstreamReady : UpstreamToClientReady, this);
        if (armed < 0)
        {
            Fail(fromClient, side, write, armed);
        }
    }

    /// <summary>A receive, send or wait on <paramref name="side"/> failed with -errno <paramref name="result"/>: closes the connection for it and ends the direction.</summary>
    private void Fail(bool fromClient, ReadinessSocketSide side, bool write, int result)
    {
        side.Failed(result);
        ReleaseBuffer(ref Direction(fromClient));
        // The source of the client-to-upstream direction is the client; the destination (a write) is the upstream.
        AbortOnSocketError(ResetBy(client: fromClient != write), side, operation: null);
        EndDirection();
    }

    /// <summary>
    /// Keeps a direction's unsent bytes across a wait: when they are in the loop's buffer (<paramref name="from"/>), they
    /// are copied to the start of a buffer rented for the direction, which it keeps until its source is drained.
    /// </summary>
    private void HoldPending(ref CopyDirection direction, byte[] from)
    {
        if (direction.Buffer is not null)
        {
            return;
        }

        byte[] held = _stages.Buffers.Rent(_settings.BufferSize);
        from.AsSpan(direction.Sent, direction.Pending).CopyTo(held);
        direction.Buffer = held;
        direction.Sent = 0;
    }

    private void ReleaseBuffer(ref CopyDirection direction)
    {
        if (direction.Buffer is { } buffer)
        {
            direction.Buffer = null;
            direction.Pending = 0;
            _stages.Buffers.Return(buffer);
        }
    }

    private void EndDirection()
    {
        CopyState copy = _copy!;
        if (Interlocked.Increment(ref copy.DirectionsDone) != 2)
        {
            return;
        }

        if (copy is AwaitedCopyState awaited)
        {
            awaited.SetDone();
        }
        else
        {
            // Started by the loop callbacks (PumpOnLoop): nobody awaits the copy, its end is the connection's. Both
            // directions are done, so no wait of the copy is armed and nothing reads it again: it goes back to the pool.
            ClosePumped();
            Finish();
            _copy = null;
            copy.Clear();
            LoopLocalPool<CopyState>.Return(copy);
        }
    }

    /// <summary>
    /// The readiness copy's two directions and how many are done. Started by the loop callbacks (<see cref="PumpOnLoop"/>)
    /// nobody awaits the copy, so it carries no completion (~48 B less per connection than the awaited kind).
    /// </summary>
    private class CopyState
    {
        public CopyDirection ToUpstream;
        public CopyDirection ToClient;
        public int DirectionsDone;

        /// <summary>Sets both directions up between <paramref name="client"/> and <paramref name="upstream"/>, none done.</summary>
        public CopyState Start(ReadinessSocketSide client, ReadinessSocketSide upstream)
        {
            ToUpstream = new(client, upstream);
            ToClient = new(upstream, client);
            DirectionsDone = 0;
            return this;
        }

        /// <summary>Forgets everything, as a new one (before it goes back to the pool: it keeps no side or buffer alive).</summary>
        public void Clear()
        {
            ToUpstream = default;
            ToClient = default;
            DirectionsDone = 0;
        }
    }

    /// <summary>The copy as <see cref="ReadinessCopyAsync"/> awaits it: the same state and the completion of both directions.</summary>
    private sealed class AwaitedCopyState : CopyState, IValueTaskSource
    {
        private ManualResetValueTaskSourceCore<bool> _done = new() { RunContinuationsAsynchronously = false }; // the rest is non-blocking, or leaves the loop itself

        public short Version => _done.Version;

        public void SetDone() => _done.SetResult(true);

        public void GetResult(short token) => _done.GetResult(token);

        public ValueTaskSourceStatus GetStatus(short token) => _done.GetStatus(token);

        public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
            _done.OnCompleted(continuation, state, token, flags);
    }

    /// <summary>One direction of the readiness copy: where it reads, where it writes, and the bytes in flight.</summary>
    private struct CopyDirection(ReadinessSocketSide source, ReadinessSocketSide destination)
    {
        public readonly ReadinessSocketSide Source = source;
        public readonly ReadinessSocketSide Destination = destination;

        /// <summary>
        /// Rented when the destination pushed back with bytes unsent, until the source is drained; else null (receives
        /// use the loop's buffer, and nothing is held between two events).
        /// </summary>
        public byte[]? Buffer;

        /// <summary>
        /// Bytes of the last receive; <see cref="Sent"/> of them are sent (counted from the start of <see cref="Buffer"/>
        /// once the rest moved there), <see cref="Pending"/> still to send (0: receiving).
        /// </summary>
        public int Read;
        public int Sent;
        public int Pending;
    }
}
