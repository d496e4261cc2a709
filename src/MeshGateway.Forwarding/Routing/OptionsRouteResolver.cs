namespace MeshGateway.Forwarding;

/// <summary>The default route resolver over <see cref="ForwarderOptions.Routes"/>.</summary>
public sealed class OptionsRouteResolver : IForwardRouteResolver
{
    /// <summary>Creates the resolver.</summary>
    public OptionsRouteResolver(ForwarderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
    }

    /// <inheritdoc/>
    public ValueTask<ForwardRoute?> ResolveAsync(ForwardingContext context, CancellationToken cancellationToken) => throw new NotSupportedException("pending naming merge");
}
