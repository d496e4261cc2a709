using System.Buffers;
using System.Net.Sockets;
using System.Runtime.CompilerServices;

namespace MeshGateway.Forwarding;

internal sealed partial class ForwardedConnection
{
    /// <summary>
    /// Reads the ClientHello into <paramref name="buffer"/> until the inspection decides, bounded by
    /// <see cref="ForwarderOptions.MaxClientHelloBytes"/> and by the absolute <see cref="ForwarderOptions.SniffTimeout"/>
    /// (the heartbeat aborts the read). Nothing is consumed: every byte read is held and replayed upstream.
    /// Returns the bytes held, or -1 when the connection was closed here.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<int> SniffAsync(byte[] buffer)
    {
        int budget = _settings.MaxClientHelloBytes;
        int filled = 0;
        using IClientHelloInspection inspection = _stages.Inspector!.Start(Context);
        Socket? clientSocket = _client.RuntimeSocket;
        if (clientSocket is not null)
        {
            _clientReceive = new SocketPumpOperation();
        }

        while (true)
        {
            Memory<byte> free = buffer.AsMemory(filled, budget - filled);
            int read = clientSocket is null
                ? await _client.ReceiveAsync(free).ConfigureAwait(false)
                : await _clientReceive!.ReceiveAsync(clientSocket, free).ConfigureAwait(false);
            if (read < 0)
            {
                AbortOnSocketError(CloseCause.ClientReset, _clientReceive!.Error);
                return -1;
            }

            if (read == 0)
            {
                // The client closed before it finished its ClientHello.
                Abort(CloseCause.ClientClosed, error: null, reset: false);
                return -1;
            }

            filled += read;
            InspectionStatus status = inspection.Inspect(new ReadOnlySequence<byte>(buffer, 0, filled));
            if (status == InspectionStatus.NeedMoreData)
            {
                if (filled < budget)
                {
                    continue;
                }

                status = InspectionStatus.TooLarge;
            }

            Context.Inspection = status;
            _stages.Metrics.SniffCompleted(_stages.TimeProvider.GetElapsedTime(_startTimestamp), status);
            if (status == InspectionStatus.TooLarge)
            {
                Refuse(CloseCause.ClientHelloTooLarge);
                return -1;
            }

            return filled;
        }
    }

    /// <summary>
    /// Asks the route resolver; a null route closes with the reason inspection implies. The phase has a deadline
    /// (<see cref="ForwarderOptions.RouteTimeout"/>, applied by the heartbeat): a resolver that has not answered
    /// by then, even one that ignores its token, is abandoned and the connection closes with
    /// <see cref="CloseCause.RouteTimeout"/> (and a drain does not wait on it either).
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<bool> RouteAsync()
    {
        Volatile.Write(ref _routingStartedAt, _stages.TimeProvider.GetTimestamp());
        Context.Phase = ForwardingPhase.Routing;
        ValueTask<ForwardRoute?> pending = _stages.RouteResolver.ResolveAsync(Context, _abort.Token);
        ForwardRoute? route = pending.IsCompleted
            ? pending.Result
            : await pending.AsTask().WaitAsync(_abort.Token).ConfigureAwait(false);
        if (route is null)
        {
            Refuse(Context.Inspection switch
            {
                InspectionStatus.NotTls => CloseCause.NotTls,
                InspectionStatus.Malformed => CloseCause.MalformedClientHello,
                _ => CloseCause.NoRoute,
            });
            return false;
        }

        Context.Route = route;
        ForwarderLog.Routed(_stages.Logger, Context.ConnectionId, LogfmtValue.Format(Context.ClientHello?.ServerName), route.Id);
        Notify(static (o, c) => o.OnRouted(c));
        return Cause == CloseCause.None;
    }
}
