namespace MeshGateway.Forwarding;

internal sealed partial class ForwardedConnection
{
    /// <summary>
    /// Sets the close cause (first wins) and tears both sides down. <paramref name="reset"/> asks for an abortive
    /// close (RST through linger 0) when <see cref="ForwarderOptions.PropagateResets"/> is on; otherwise the peers get a FIN.
    /// </summary>
    private void Abort(CloseCause cause, Exception? error, bool reset)
    {
        if (TrySetCause(cause, error))
        {
            Teardown(reset);
        }
    }

    private void Teardown(bool reset)
    {
        try
        {
            Volatile.Read(ref _abort)?.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Finish already ran; nothing is pending.
        }

        // A dial in progress on the default connector has no link to _abort: end it here (see DialOwnAsync).
        Interlocked.Exchange(ref _dialTimeout, null)?.Cancel();

        bool abortive = reset && _settings.PropagateResets;
        if (!reset && Volatile.Read(ref _finishedDirections) == 2)
        {
            // Both directions ended with a FIN each way: nothing left to shut down on either socket.
            _client.CloseFinished();
            Volatile.Read(ref _upstream)?.CloseFinished();
            return;
        }

        _client.Close(abortive);
        Volatile.Read(ref _upstream)?.Close(abortive);
    }

    /// <summary>
    /// Closes what is left and reports the close once to log, metrics and observers. The <see cref="ForwardingResult"/>
    /// is made only for whoever takes it (an observer, a waiter on <see cref="Completion"/>, the async path's task);
    /// otherwise the connection keeps what it is made of, and <see cref="Completion"/> makes it if asked later.
    /// </summary>
    private void Finish()
    {
        object? completion = Volatile.Read(ref _completion);
        if (completion is ForwardingResult || ReferenceEquals(completion, FinishedUnasked))
        {
            return;   // a step that failed after it finished the connection: reported once already
        }

        // Every path sets a cause before it gets here; the exception is made only when one did not (a bug).
        if (Cause == CloseCause.None
            && TrySetCause(CloseCause.InternalError, new InvalidOperationException("Connection finished without a close cause.")))
        {
            Teardown(reset: false);
        }

        _client.Dispose();
        Volatile.Read(ref _upstream)?.Dispose();
        _toUpstream?.Dispose(); // no operation is pending: every await of this connection has returned
        _toClient?.Dispose();
        ReturnHeld();           // before anyone hears of the close: a closed connection holds no buffer
        _callerRegistration.Dispose();
        Context.Upstream?.OnDisconnected();

        _duration = _stages.TimeProvider.GetElapsedTime(_startTimestamp);
        ForwardingResult? result = _stages.Observers.Length > 0 ? MakeResult() : null;

        // Stop counting first, so whoever reacts to the close sees a consistent ActiveConnections; but stay in the
        // engine's table until the close is reported, or a drain starting now would finish before the report
        // (meshgw run would print "stopped" and exit with this connection's log line unwritten).
        _forwarder.OnConnectionClosing();
        CloseCause cause = Cause;
        long fromClient = Context.BytesFromClient;
        long toClient = Context.BytesToClient;
        ForwarderLog.Closed(_stages.Logger, Context.ConnectionId, cause, _closePhase, fromClient, toClient, _duration.TotalMilliseconds);
        _stages.Metrics.ConnectionClosed(cause, _closePhase, _duration, fromClient, toClient);
        foreach (IForwarderObserver observer in _stages.Observers)
        {
            try
            {
                observer.OnClosed(Context, result!);
            }
#pragma warning disable CA1031 // An observer must never break the connection it observes.
            catch (Exception error)
#pragma warning restore CA1031
            {
                ForwarderLog.ObserverFailed(_stages.Logger, observer.GetType().Name, error);
            }
        }

        _forwarder.OnConnectionClosed(this);
        if (Interlocked.Exchange(ref _completion, (object?)result ?? FinishedUnasked) is TaskCompletionSource<ForwardingResult> waiting)
        {
            waiting.TrySetResult(result ?? MakeResult());
        }

        Dispose();
    }

    /// <summary><see cref="Finish"/>, then the result: the async path's task carries it.</summary>
    private ForwardingResult FinishWithResult()
    {
        Finish();
        return Volatile.Read(ref _completion) as ForwardingResult ?? MakeResult();
    }

    /// <summary>The result of the finished connection, made from what it kept (each call makes an equal one).</summary>
    private ForwardingResult MakeResult() =>
        new(Cause, _closePhase, Context.BytesFromClient, Context.BytesToClient, _duration, _error);
}
