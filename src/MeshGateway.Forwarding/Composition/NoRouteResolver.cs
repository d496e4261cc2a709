namespace MeshGateway.Forwarding;

/// <summary>Routes nothing: every connection is closed. The listeners of a gateway whose routes come from elsewhere (Consul) until they do.</summary>
internal sealed class NoRouteResolver : IForwardRouteResolver, IImmediateRouteResolver, INonBlockingStage
{
    public static readonly NoRouteResolver Instance = new();

    private NoRouteResolver()
    {
    }

    public ValueTask<ForwardRoute?> ResolveAsync(ForwardingContext context, CancellationToken cancellationToken) => ValueTask.FromResult<ForwardRoute?>(null);

    public ForwardRoute? Resolve(ForwardingContext context) => null;
}
