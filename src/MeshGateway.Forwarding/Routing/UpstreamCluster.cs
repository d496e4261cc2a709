namespace MeshGateway.Forwarding;

/// <summary>A named set of upstream endpoints with the policy that picks among them.</summary>
public sealed class UpstreamCluster
{
    /// <summary>Creates a cluster.</summary>
    /// <param name="name">The cluster's name.</param>
    /// <param name="endpoints">The endpoints; may be empty (connections then close with <see cref="CloseCause.NoEndpoint"/>).</param>
    /// <param name="selector">The load-balancing policy; defaults to a new <see cref="PowerOfTwoChoicesSelector"/>.</param>
    /// <param name="preamble">Bytes written to the upstream before the replayed ClientHello (PROXY protocol), or null.</param>
    public UpstreamCluster(
        string name,
        IReadOnlyList<UpstreamEndpoint> endpoints,
        IUpstreamSelector? selector = null,
        IUpstreamPreambleWriter? preamble = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(endpoints);
        Name = name;
        Endpoints = endpoints;
        Selector = selector ?? new PowerOfTwoChoicesSelector();
        Preamble = preamble;
    }

    /// <summary>The cluster's name.</summary>
    public string Name { get; }

    /// <summary>The endpoints to choose from.</summary>
    public IReadOnlyList<UpstreamEndpoint> Endpoints { get; }

    /// <summary>The load-balancing policy (per cluster, so round robin keeps its own position).</summary>
    public IUpstreamSelector Selector { get; }

    /// <summary>The preamble writer (PROXY protocol v1 or v2), or null for none.</summary>
    public IUpstreamPreambleWriter? Preamble { get; }

    /// <inheritdoc/>
    public override string ToString() => Name;
}
