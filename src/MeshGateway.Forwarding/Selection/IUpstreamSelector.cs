namespace MeshGateway.Forwarding;

/// <summary>
/// Endpoint selection stage (load balancing). Synchronous on purpose, like YARP's <c>PickDestination</c>: it
/// runs once per connect attempt and must not block.
/// </summary>
public interface IUpstreamSelector
{
    /// <summary>
    /// Picks one of <paramref name="endpoints"/> that is not in <paramref name="exclude"/> (the endpoints already
    /// tried for this connection), or returns null when none is left.
    /// </summary>
    UpstreamEndpoint? Pick(ForwardingContext context, IReadOnlyList<UpstreamEndpoint> endpoints, ReadOnlySpan<UpstreamEndpoint> exclude);
}
