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

    /// <summary>Closes what is left, builds the result, and reports it once to observers, log and metrics.</summary>
    private ForwardingResult Finish()
    {
        if (Volatile.Read(ref _completion) is ForwardingResult finished)
        {
            return finished;   // a step that failed after it finished the connection: reported once already
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

        var result = new ForwardingResult(
            Cause,
            _closePhase,
            Context.BytesFromClient,
            Context.BytesToClient,
            _stages.TimeProvider.GetElapsedTime(_startTimestamp),
            _error);

        // Stop counting first, so whoever reacts to the close sees a consistent ActiveConnections; but stay in the
        // engine's table until the close is reported, or a drain starting now would finish before the report
        // (meshgw run would print "stopped" and exit with this connection's log line unwritten).
        _forwarder.OnConnectionClosing();
        ForwarderLog.Closed(_stages.Logger, Context.ConnectionId, result.Cause, result.Phase, result.BytesFromClient, result.BytesToClient, result.Duration.TotalMilliseconds);
        _stages.Metrics.ConnectionClosed(result);
        foreach (IForwarderObserver observer in _stages.Observers)
        {
            try
            {
                observer.OnClosed(Context, result);
            }
#pragma warning disable CA1031 // An observer must never break the connection it observes.
            catch (Exception error)
#pragma warning restore CA1031
            {
                ForwarderLog.ObserverFailed(_stages.Logger, observer.GetType().Name, error);
            }
        }

        _forwarder.OnConnectionClosed(this);
        if (Interlocked.Exchange(ref _completion, result) is TaskCompletionSource<ForwardingResult> waiting)
        {
            waiting.TrySetResult(result);
        }
        Dispose();
        return result;
    }
}
