using System.Net.Sockets;
using System.Runtime.CompilerServices;

namespace MeshGateway.Forwarding;

internal sealed partial class ForwardedConnection
{
    /// <summary>
    /// Dials the route's cluster: each attempt asks the selector for an endpoint not tried yet, under
    /// <see cref="ForwarderOptions.ConnectTimeout"/>, up to <see cref="ForwarderOptions.MaxConnectAttempts"/>.
    /// No byte has reached any upstream before success, so retrying is always safe. Continues the attempts the loop
    /// callbacks made (<see cref="ForwardingContext.ConnectAttempts"/>), <paramref name="picked"/> being the endpoint
    /// they picked for the current one, if any.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<bool> ConnectAsync(UpstreamEndpoint? picked)
    {
        Context.Phase = ForwardingPhase.Connecting;
        UpstreamCluster cluster = Context.Route!.Cluster;
        if (_onLoop && !DialsOnLoop(cluster))
        {
            await LeaveLoopAsync().ConfigureAwait(false);
        }

        int attempts = _settings.MaxConnectAttempts;
        for (int attempt = Context.ConnectAttempts + (picked is null ? 1 : 0); attempt <= attempts; attempt++)
        {
            UpstreamEndpoint? endpoint = picked ?? Pick(cluster, attempt);
            picked = null;
            if (endpoint is null)
            {
                break;
            }

            long started = _stages.TimeProvider.GetTimestamp();
            (ConnectionSide? side, Exception? error) = await DialAsync(endpoint).ConfigureAwait(false);
            switch (Dialed(endpoint, attempt, started, side, error))
            {
                case DialOutcome.Connected:
                    return true;
                case DialOutcome.Closed:
                    return false;
            }
        }

        RefuseUnconnected(cluster);
        return false;
    }

    /// <summary>How an attempt ended for the attempt loop: connected, failed (try the next endpoint), or the connection was torn down.</summary>
    private enum DialOutcome
    {
        Connected,
        Failed,
        Closed,
    }

    /// <summary>True when the cluster's selector and preamble writer may run on the readiness loop's thread.</summary>
    private static bool DialsOnLoop(UpstreamCluster cluster) =>
        cluster.Selector is INonBlockingStage && cluster.Preamble is null or INonBlockingStage;

    /// <summary>Asks the selector for attempt <paramref name="attempt"/>'s endpoint (none tried before); counts the attempt when there is one.</summary>
    private UpstreamEndpoint? Pick(UpstreamCluster cluster, int attempt)
    {
        DialState? dial = _dial;
        UpstreamEndpoint? endpoint = cluster.Selector.Pick(Context, cluster.Endpoints, dial is null ? default : dial.Tried.AsSpan(0, dial.Failures?.Count ?? 0));
        if (endpoint is not null)
        {
            Context.ConnectAttempts = attempt;
        }

        return endpoint;
    }

    /// <summary>
    /// Reports an attempt's end (metrics, observers) and acts on it: a connected <paramref name="side"/> becomes the
    /// upstream (disposed instead when a teardown came first); a failure is logged and remembered for the next pick.
    /// </summary>
    private DialOutcome Dialed(UpstreamEndpoint endpoint, int attempt, long started, ConnectionSide? side, Exception? error)
    {
        _stages.Metrics.ConnectAttempted(_stages.TimeProvider.GetElapsedTime(started), error);
        foreach (IForwarderObserver observer in _stages.Observers)
        {
            NotifyAttempt(observer, endpoint, attempt, error);
        }

        if (side is not null)
        {
            endpoint.OnConnected();
            Context.Upstream = endpoint;
            Volatile.Write(ref _upstream, side);
            if (Cause != CloseCause.None)
            {
                // Torn down while dialing: the teardown may have missed this side.
                side.Dispose();
                return DialOutcome.Closed;
            }

            return DialOutcome.Connected;
        }

        if (Cause != CloseCause.None)
        {
            return DialOutcome.Closed;
        }

        ForwarderLog.ConnectAttemptFailed(_stages.Logger, Context.ConnectionId, attempt, endpoint, error!);
        DialState dial = Dial;
        int failed = dial.Failures?.Count ?? 0;
        (dial.Tried ??= new UpstreamEndpoint[_settings.MaxConnectAttempts])[failed] = endpoint;
        (dial.Failures ??= new(1)).Add((endpoint, error!));
        return DialOutcome.Failed;
    }

    /// <summary>No attempt connected (or the selector had nothing to offer): refuses with the reason.</summary>
    private void RefuseUnconnected(UpstreamCluster cluster)
    {
        List<(UpstreamEndpoint Endpoint, Exception Error)>? failures = _dial?.Failures;
        Refuse(failures is null ? CloseCause.NoEndpoint : CloseCause.ConnectFailed);
        _error ??= new UpstreamConnectException(cluster.Name, failures ?? []);
    }

    /// <summary>
    /// One connect attempt. With the default connector the client side may dial its peer itself (the own readiness
    /// loop connects the upstream on that loop, so the runtime never registers either socket); otherwise the
    /// connector's socket is adopted by the client side, waiting the way the client waits.
    /// </summary>
    private ValueTask<(ConnectionSide? Side, Exception? Error)> DialAsync(UpstreamEndpoint endpoint) =>
        _stages.UpstreamTransport is null && _stages.Connector is SocketUpstreamConnector
            ? DialOwnAsync(endpoint)
            : DialThroughAsync(endpoint);

    /// <summary>
    /// The default connector's dial: the token never leaves the engine, so it is a reused timeout source
    /// (<see cref="DialTimeouts"/>) that a teardown cancels directly (<see cref="_dialTimeout"/>), not a new source
    /// linked to the connection's abort token.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<(ConnectionSide? Side, Exception? Error)> DialOwnAsync(UpstreamEndpoint endpoint)
    {
        CancellationTokenSource timeout = StartDialTimeout();
        try
        {
            if (Cause != CloseCause.None)
            {
                return (null, null);
            }

            if (await _client.ConnectPeerAsync(endpoint.EndPoint, timeout.Token).ConfigureAwait(false) is { } own)
            {
                return (own, null);
            }

            return (_client.AdoptPeer(await _stages.Connector.ConnectAsync(endpoint, Context, timeout.Token).ConfigureAwait(false)), null);
        }
        catch (OperationCanceledException) when (Cause == CloseCause.None)
        {
            return (null, TimedOut(endpoint));
        }
#pragma warning disable CA1031 // Any connect failure means "try the next endpoint"; it is reported, not swallowed.
        catch (Exception error) when (Cause == CloseCause.None)
#pragma warning restore CA1031
        {
            return (null, error);
        }
        finally
        {
            EndDialTimeout();
        }
    }

    /// <summary>
    /// Rents the default connector's dial timeout (<see cref="DialTimeouts"/>, <see cref="ForwarderOptions.ConnectTimeout"/>)
    /// and publishes it in <see cref="_dialTimeout"/> with a full fence: a teardown that sets its cause after this
    /// cancels the dial; one that set it before is seen by the caller's next check of the cause (TrySetCause is a full
    /// fence too). End it with <see cref="EndDialTimeout"/>.
    /// </summary>
    private CancellationTokenSource StartDialTimeout()
    {
        CancellationTokenSource timeout = _stages.DialTimeouts.Rent(_settings.ConnectTimeout);
        Interlocked.Exchange(ref _dialTimeout, timeout);
        return timeout;
    }

    /// <summary>
    /// Takes the dial timeout back: whoever takes it owns it, so here it is reused, and in a teardown (which took it
    /// first) it was canceled. True when it had fired.
    /// </summary>
    private bool EndDialTimeout()
    {
        if (Interlocked.Exchange(ref _dialTimeout, null) is not { } mine)
        {
            return false;
        }

        bool fired = mine.IsCancellationRequested;
        _stages.DialTimeouts.Return(mine);
        return fired;
    }

    /// <summary>
    /// A dial through a custom connector (or the engine tests' in-memory transport): it gets a token of its own, linked
    /// to the connection's abort token, since it may keep the token past the dial.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<(ConnectionSide? Side, Exception? Error)> DialThroughAsync(UpstreamEndpoint endpoint)
    {
        // Created inside the try, so that no failure here can escape as an unexplained InternalError; the options
        // validation bounds ConnectTimeout by what a runtime timer can hold (ForwarderOptions.MaxTimeout).
        CancellationTokenSource? timeout = null;
        CancellationTokenSource? linked = null;
        try
        {
            timeout = new CancellationTokenSource(_settings.ConnectTimeout, _stages.TimeProvider);
            linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, AbortToken);
            if (_stages.UpstreamTransport is { } transport)
            {
                return (await transport(endpoint, linked.Token).ConfigureAwait(false), null);
            }

            Socket socket = await _stages.Connector.ConnectAsync(endpoint, Context, linked.Token).ConfigureAwait(false);
            TrySetNoDelay(socket); // the default connector sets it before connecting; a custom one may not have
            return (_client.AdoptPeer(socket), null);
        }
        catch (OperationCanceledException) when (timeout!.IsCancellationRequested && !AbortRequested)
        {
            return (null, TimedOut(endpoint));
        }
#pragma warning disable CA1031 // Any connector failure means "try the next endpoint"; it is reported, not swallowed.
        catch (Exception error) when (!AbortRequested)
#pragma warning restore CA1031
        {
            return (null, error);
        }
        finally
        {
            linked?.Dispose();
            timeout?.Dispose();
        }
    }

    private TimeoutException TimedOut(UpstreamEndpoint endpoint) =>
        new($"Connect to {endpoint} timed out after {_settings.ConnectTimeout}.");

    private void NotifyAttempt(IForwarderObserver observer, UpstreamEndpoint endpoint, int attempt, Exception? error)
    {
        try
        {
            observer.OnConnectAttempt(Context, endpoint, attempt, error);
        }
#pragma warning disable CA1031 // An observer must never break the connection it observes.
        catch (Exception failure)
#pragma warning restore CA1031
        {
            ForwarderLog.ObserverFailed(_stages.Logger, observer.GetType().Name, failure);
        }
    }
}
