using MeshGateway.Naming;

namespace MeshGateway.Forwarding;

/// <summary>
/// Routes a mesh gateway's connections by SNI (Consul spec §4.3): explicit service SNIs, then local services
/// (exact), then remote gateways (<c>*.&lt;gateway SNI&gt;</c> and the gateway SNI itself). Not-TLS, malformed and
/// unmatched connections get no route. Build it with <see cref="MeshGatewayRouterBuilder"/>.
/// </summary>
public sealed class MeshGatewayRouteResolver : IForwardRouteResolver
{
    private readonly SniRouteTable<MeshGatewayRoute> _meshTable;
    private readonly SniRouteTable<ForwardRoute> _serviceSnis;
    private readonly Dictionary<string, ForwardRoute> _routesByCluster;

    internal MeshGatewayRouteResolver(SniRouteTable<MeshGatewayRoute> meshTable, SniRouteTable<ForwardRoute> serviceSnis, Dictionary<string, ForwardRoute> routesByCluster)
    {
        _meshTable = meshTable;
        _serviceSnis = serviceSnis;
        _routesByCluster = routesByCluster;
    }

    /// <summary>The local service names served, in canonical form.</summary>
    public IEnumerable<string> LocalServiceNames => _meshTable.ExactNames.Concat(_serviceSnis.ExactNames);

    /// <summary>The remote-gateway wildcards served (<c>*.dc2.internal.&lt;td&gt;</c>).</summary>
    public IEnumerable<string> RemoteGatewayPatterns => _meshTable.WildcardPatterns;

    /// <inheritdoc/>
    public ValueTask<ForwardRoute?> ResolveAsync(ForwardingContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new ValueTask<ForwardRoute?>(Resolve(context));
    }

    private ForwardRoute? Resolve(ForwardingContext context)
    {
        string? serverName = context.SniffStatus == MeshGateway.ClientHello.ClientHelloStatus.Done ? context.ClientHello?.ServerName : null;
        if (string.IsNullOrEmpty(serverName))
        {
            return null;
        }

        if (_serviceSnis.TryLookup(serverName, out ForwardRoute? route))
        {
            return route;
        }

        return _meshTable.TryLookup(serverName, out MeshGatewayRoute? mesh)
            && _routesByCluster.TryGetValue(mesh!.ClusterName, out route)
            ? route
            : null;
    }
}
