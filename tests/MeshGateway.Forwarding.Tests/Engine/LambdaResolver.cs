namespace MeshGateway.Forwarding.Tests.Engine;

/// <summary>A route resolver from a function (synchronous, as most are).</summary>
internal sealed class LambdaResolver(Func<ForwardingContext, ForwardRoute?> resolve) : IForwardRouteResolver
{
    public ValueTask<ForwardRoute?> ResolveAsync(ForwardingContext context, CancellationToken cancellationToken) => ValueTask.FromResult(resolve(context));
}
