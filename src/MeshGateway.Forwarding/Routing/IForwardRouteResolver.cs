namespace MeshGateway.Forwarding;

/// <summary>
/// Route resolution stage: maps an inspected connection to a route. Called for every connection that got past
/// sniff, including those whose sniff ended in <see cref="MeshGateway.ClientHello.ClientHelloStatus.NotTls"/> or
/// <see cref="MeshGateway.ClientHello.ClientHelloStatus.Malformed"/> (see <see cref="ForwardingContext.SniffStatus"/>), so a resolver may
/// send them to a fallback cluster. Returning null closes the connection with the matching reason.
/// </summary>
public interface IForwardRouteResolver
{
    /// <summary>Returns the route for <paramref name="context"/>, or null to close the connection.</summary>
    ValueTask<ForwardRoute?> ResolveAsync(ForwardingContext context, CancellationToken cancellationToken);
}
