namespace MeshGateway.Forwarding.Hosting;

/// <summary>
/// A listener's routes, replaced whole on a configuration reload: a connection resolves with the set in force when it
/// routes (one volatile read), never with a mix of two.
/// </summary>
internal sealed class ReloadableRouteResolver(IForwardRouteResolver initial) : IForwardRouteResolver
{
    private IForwardRouteResolver _current = initial;

    public IForwardRouteResolver Current
    {
        get => Volatile.Read(ref _current);
        set => Volatile.Write(ref _current, value);
    }

    public ValueTask<ForwardRoute?> ResolveAsync(ForwardingContext context, CancellationToken cancellationToken) =>
        Current.ResolveAsync(context, cancellationToken);
}
