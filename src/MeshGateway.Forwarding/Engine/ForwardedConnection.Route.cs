using System.Runtime.CompilerServices;

namespace MeshGateway.Forwarding;

internal sealed partial class ForwardedConnection
{
    /// <summary>
    /// Starts the routing phase: asks the route resolver. The phase has a deadline
    /// (<see cref="ForwarderOptions.RouteTimeout"/>, applied by the heartbeat): a resolver that has not answered by
    /// then, even one that ignores its token, is abandoned and the connection closes with
    /// <see cref="CloseCause.RouteTimeout"/> (and a drain does not wait on it either).
    /// </summary>
    private ValueTask<ForwardRoute?> StartRoute()
    {
        Volatile.Write(ref _routingStartedAt, _stages.TimeProvider.GetTimestamp());
        Context.Phase = ForwardingPhase.Routing;
        IForwardRouteResolver resolver = _settings.RouteResolver ?? _stages.RouteResolver;
        return resolver is IImmediateRouteResolver immediate
            ? new ValueTask<ForwardRoute?>(immediate.Resolve(Context))   // no token: it would cost the connection a source
            : resolver.ResolveAsync(Context, AbortToken);
    }

    /// <summary>Waits for the answer <see cref="StartRoute"/> asked for, then takes it (<see cref="Routed"/>).</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<bool> RouteAsync(ValueTask<ForwardRoute?> pending)
    {
        ForwardRoute? route = pending.IsCompleted
            ? pending.Result
            : await pending.AsTask().WaitAsync(AbortToken).ConfigureAwait(false);
        return Routed(route);
    }

    /// <summary>
    /// Takes the resolver's answer: a null route closes with the reason the sniff implies. True when the connection
    /// goes on to connect.
    /// </summary>
    private bool Routed(ForwardRoute? route)
    {
        if (route is null)
        {
            Refuse(ClientHelloSniff.NoRouteCause(Context.SniffStatus));
            return false;
        }

        Context.Route = route;
        if (_stages.Logger.IsEnabled(Microsoft.Extensions.Logging.LogLevel.Debug))
        {
            // Only then: the escaping walks the whole name.
            ForwarderLog.Routed(_stages.Logger, Context.ConnectionId, LogfmtValue.Format(Context.ClientHello?.ServerName), route.Id);
        }

        Notify(static (o, c) => o.OnRouted(c));
        return Cause == CloseCause.None;
    }
}
