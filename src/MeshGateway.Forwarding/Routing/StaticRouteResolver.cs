namespace MeshGateway.Forwarding;

/// <summary>
/// Sends every connection to one route, whatever it sent: for a listener keyed only by its port (server-first
/// protocols with inspection off) or for a sidecar's per-upstream listener.
/// </summary>
public sealed class StaticRouteResolver : IForwardRouteResolver, IImmediateRouteResolver, INonBlockingStage
{
    private readonly ValueTask<ForwardRoute?> _route;

    /// <summary>Creates a resolver that always answers <paramref name="route"/>.</summary>
    public StaticRouteResolver(ForwardRoute route)
    {
        ArgumentNullException.ThrowIfNull(route);
        Route = route;
        _route = new ValueTask<ForwardRoute?>(route);
    }

    /// <summary>The route every connection takes.</summary>
    public ForwardRoute Route { get; }

    /// <inheritdoc/>
    public ValueTask<ForwardRoute?> ResolveAsync(ForwardingContext context, CancellationToken cancellationToken) => _route;

    /// <inheritdoc/>
    ForwardRoute? IImmediateRouteResolver.Resolve(ForwardingContext context) => Route;
}
