namespace MeshGateway.Forwarding;

/// <summary>A routing decision: which cluster a connection goes to, and under what name it is reported.</summary>
public sealed class ForwardRoute
{
    /// <summary>Creates a route to <paramref name="cluster"/>.</summary>
    /// <param name="id">A stable, low-cardinality name for logs (for example the matched pattern or cluster name).</param>
    /// <param name="cluster">The upstream cluster.</param>
    public ForwardRoute(string id, UpstreamCluster cluster)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        ArgumentNullException.ThrowIfNull(cluster);
        Id = id;
        Cluster = cluster;
    }

    /// <summary>The route's name.</summary>
    public string Id { get; }

    /// <summary>The cluster the connection is dialed to.</summary>
    public UpstreamCluster Cluster { get; }

    /// <inheritdoc/>
    public override string ToString() => Id;
}
