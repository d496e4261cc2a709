namespace MeshGateway.Forwarding;

/// <summary>
/// Route resolution stage: maps an inspected connection to a route. Called for every connection that got past
/// inspection, including those whose inspection ended in <see cref="InspectionStatus.NotTls"/> or
/// <see cref="InspectionStatus.Malformed"/> (see <see cref="ForwardingContext.Inspection"/>), so a resolver may
/// send them to a fallback cluster. Returning null closes the connection with the matching reason.
/// </summary>
public interface IForwardRouteResolver
{
    /// <summary>Returns the route for <paramref name="context"/>, or null to close the connection.</summary>
    ValueTask<ForwardRoute?> ResolveAsync(ForwardingContext context, CancellationToken cancellationToken);
}
