namespace MeshGateway.Forwarding;

/// <summary>
/// A route resolver whose answer is a lookup in memory, there at once, and that never looks at a cancellation token:
/// the engine asks it through <see cref="Resolve"/> and makes no abort token for the connection
/// (<see cref="ForwardingContext.Aborted"/>'s source is made only when something asks for it). Every resolver that
/// ships in MeshGateway is one; a user's resolver is asked through
/// <see cref="IForwardRouteResolver.ResolveAsync"/> with the token as always.
/// </summary>
internal interface IImmediateRouteResolver
{
    /// <summary>The same answer <see cref="IForwardRouteResolver.ResolveAsync"/> gives, without a token.</summary>
    /// <param name="context">The connection, sniffed.</param>
    /// <returns>The route, or null for none.</returns>
    ForwardRoute? Resolve(ForwardingContext context);
}
