using System.Collections.Concurrent;
using MeshGateway.Forwarding;

namespace MeshGateway.Cli.Commands.Run;

/// <summary>Adds a PROXY protocol preamble to every route another resolver chooses (one cached cluster per route).</summary>
internal sealed class ProxyProtocolRouteResolver(IForwardRouteResolver inner, IUpstreamPreambleWriter preamble) : IForwardRouteResolver
{
    private readonly ConcurrentDictionary<ForwardRoute, ForwardRoute> _routes = new(ReferenceEqualityComparer.Instance);

    public async ValueTask<ForwardRoute?> ResolveAsync(ForwardingContext context, CancellationToken cancellationToken)
    {
        ForwardRoute? route = await inner.ResolveAsync(context, cancellationToken).ConfigureAwait(false);
        return route is null
            ? null
            : _routes.GetOrAdd(route, static (r, p) => new ForwardRoute(r.Id, new UpstreamCluster(r.Cluster.Name, r.Cluster.Endpoints, r.Cluster.Selector, p)), preamble);
    }
}
