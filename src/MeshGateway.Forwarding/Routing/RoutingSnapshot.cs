using MeshGateway.Naming;

namespace MeshGateway.Forwarding;

/// <summary>
/// An immutable routing configuration: the SNI table (MeshGateway.Naming's matcher) and the fallback routes.
/// Swapped as a whole on reload, so a connection sees either the old or the new configuration, never a mix.
/// </summary>
internal sealed class RoutingSnapshot
{
    private RoutingSnapshot(SniRouteTable<ForwardRoute> table, ForwardRoute? notTls, ForwardRoute? malformed, ForwardRoute? noRoute, int clusterCount)
    {
        Table = table;
        NotTls = notTls;
        Malformed = malformed;
        NoRoute = noRoute;
        ClusterCount = clusterCount;
    }

    public SniRouteTable<ForwardRoute> Table { get; }

    public ForwardRoute? NotTls { get; }

    public ForwardRoute? Malformed { get; }

    public ForwardRoute? NoRoute { get; }

    public int ClusterCount { get; }

    /// <summary>Builds a snapshot from validated options (invalid options throw <see cref="Microsoft.Extensions.Options.OptionsValidationException"/>).</summary>
    public static RoutingSnapshot Build(ForwarderOptions options)
    {
        ForwarderOptionsValidator.ThrowIfInvalid(options);
        var clusters = new Dictionary<string, UpstreamCluster>(StringComparer.Ordinal);
        foreach ((string name, UpstreamClusterOptions cluster) in options.Clusters)
        {
            clusters[name] = new UpstreamCluster(
                name,
                cluster.Endpoints.Select(UpstreamEndpoint.Parse).ToArray(),
                cluster.LoadBalancing == LoadBalancingPolicy.RoundRobin ? new RoundRobinSelector() : new PowerOfTwoChoicesSelector(),
                cluster.ProxyProtocol switch
                {
                    ProxyProtocolVersion.V1 => ProxyProtocolV1Writer.Instance,
                    ProxyProtocolVersion.V2 => new ProxyProtocolV2Writer(includeAuthority: true),
                    _ => null,
                });
        }

        var builder = new SniRouteTableBuilder<ForwardRoute>();
        foreach (ForwardRouteOptions route in options.Routes)
        {
            builder.Add(route.Sni, new ForwardRoute(route.Sni, clusters[route.Cluster]));
        }

        return new RoutingSnapshot(
            builder.Build(),
            Fallback(options.NotTlsCluster, "not-tls", clusters),
            Fallback(options.MalformedCluster, "malformed", clusters),
            Fallback(options.NoRouteCluster, "no-route", clusters),
            clusters.Count);
    }

    private static ForwardRoute? Fallback(string? cluster, string id, Dictionary<string, UpstreamCluster> clusters) =>
        cluster is null ? null : new ForwardRoute(id, clusters[cluster]);
}
