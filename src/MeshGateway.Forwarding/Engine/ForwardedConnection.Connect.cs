using System.Net.Sockets;
using System.Runtime.CompilerServices;

namespace MeshGateway.Forwarding;

internal sealed partial class ForwardedConnection
{
    /// <summary>
    /// Dials the route's cluster: each attempt asks the selector for an endpoint not tried yet, under
    /// <see cref="ForwarderOptions.ConnectTimeout"/>, up to <see cref="ForwarderOptions.MaxConnectAttempts"/>.
    /// No byte has reached any upstream before success, so retrying is always safe.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<bool> ConnectAsync()
    {
        Context.Phase = ForwardingPhase.Connecting;
        UpstreamCluster cluster = Context.Route!.Cluster;
        if (_onLoop && (cluster.Selector is not INonBlockingStage || cluster.Preamble is not (null or INonBlockingStage)))
        {
            await LeaveLoopAsync().ConfigureAwait(false);
        }

        var tried = new UpstreamEndpoint[_settings.MaxConnectAttempts];
        List<(UpstreamEndpoint Endpoint, Exception Error)>? failures = null;   // made on the first failure only
        for (int attempt = 1; attempt <= tried.Length; attempt++)
        {
            UpstreamEndpoint? endpoint = cluster.Selector.Pick(Context, cluster.Endpoints, tried.AsSpan(0, attempt - 1));
            if (endpoint is null)
            {
                break;
            }

            tried[attempt - 1] = endpoint;
            Context.ConnectAttempts = attempt;
            long started = _stages.TimeProvider.GetTimestamp();
            (ConnectionSide? side, Exception? error) = await DialAsync(endpoint).ConfigureAwait(false);
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
                    return false;
                }

                return true;
            }

            if (Cause != CloseCause.None)
            {
                return false;
            }

            ForwarderLog.ConnectAttemptFailed(_stages.Logger, Context.ConnectionId, attempt, endpoint, error!);
            (failures ??= new(1)).Add((endpoint, error!));
        }

        Refuse(failures is null ? CloseCause.NoEndpoint : CloseCause.ConnectFailed);
        _error = new UpstreamConnectException(cluster.Name, failures ?? []);
        return false;
    }

    /// <summary>
    /// One connect attempt. With the default connector the client side may dial its peer itself (the own readiness
    /// loop connects the upstream on that loop, so the runtime never registers either socket); otherwise the
    /// connector's socket is adopted by the client side, waiting the way the client waits.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<(ConnectionSide? Side, Exception? Error)> DialAsync(UpstreamEndpoint endpoint)
    {
        // Created inside the try, so that no failure here can escape as an unexplained InternalError; the options
        // validation bounds ConnectTimeout by what a runtime timer can hold (ForwarderOptions.MaxTimeout).
        CancellationTokenSource? timeout = null;
        CancellationTokenSource? linked = null;
        try
        {
            timeout = new CancellationTokenSource(_settings.ConnectTimeout, _stages.TimeProvider);
            linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, _abort.Token);
            if (_stages.UpstreamTransport is { } transport)
            {
                return (await transport(endpoint, linked.Token).ConfigureAwait(false), null);
            }

            if (_stages.Connector is SocketUpstreamConnector
                && await _client.ConnectPeerAsync(endpoint.EndPoint, linked.Token).ConfigureAwait(false) is { } own)
            {
                return (own, null);
            }

            Socket socket = await _stages.Connector.ConnectAsync(endpoint, Context, linked.Token).ConfigureAwait(false);
            if (_stages.Connector is not SocketUpstreamConnector)
            {
                // The default connector set it before connecting; a custom one may not have.
                TrySetNoDelay(socket);
            }

            return (_client.AdoptPeer(socket), null);
        }
        catch (OperationCanceledException) when (timeout!.IsCancellationRequested && !_abort.IsCancellationRequested)
        {
            return (null, new TimeoutException($"Connect to {endpoint} timed out after {_settings.ConnectTimeout}."));
        }
#pragma warning disable CA1031 // Any connector failure means "try the next endpoint"; it is reported, not swallowed.
        catch (Exception error) when (!_abort.IsCancellationRequested)
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
