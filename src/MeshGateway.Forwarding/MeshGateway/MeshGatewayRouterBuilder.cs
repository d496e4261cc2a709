using System.Net;
using MeshGateway.Naming;

namespace MeshGateway.Forwarding;

/// <summary>
/// Builds the routes of a Consul-style mesh gateway (spec §4): local services and their subsets by exact SNI,
/// each remote datacenter or partition by <c>*.&lt;gateway SNI&gt;</c> to that datacenter's gateways. Anything
/// else (unknown service or datacenter, another trust domain, no SNI) has no route and closes with
/// <see cref="CloseCause.NoRoute"/>. The names and the matching are MeshGateway.Naming's.
/// </summary>
public sealed class MeshGatewayRouterBuilder
{
    private readonly MeshGatewayRouteBuilder _names;
    private readonly List<(string Service, string? Namespace, IReadOnlyList<UpstreamEndpoint> Endpoints)> _services = [];
    private readonly List<(string Datacenter, string? Partition, IReadOnlyList<UpstreamEndpoint> Endpoints)> _remotes = [];
    private readonly List<(string Sni, IReadOnlyList<UpstreamEndpoint> Endpoints)> _serviceSnis = [];
    private Func<string, IUpstreamSelector> _selectorFactory = static _ => new PowerOfTwoChoicesSelector();
    private IUpstreamPreambleWriter? _preamble;

    /// <summary>Starts the routes of the gateway of <paramref name="datacenter"/> / <paramref name="partition"/>.</summary>
    /// <param name="datacenter">The gateway's datacenter.</param>
    /// <param name="partition">The gateway's admin partition; null or empty for <c>default</c>.</param>
    /// <param name="trustDomain">The mesh trust domain (<c>&lt;cluster id&gt;.consul</c>).</param>
    public MeshGatewayRouterBuilder(string datacenter, string? partition, string trustDomain)
    {
        _names = new MeshGatewayRouteBuilder(datacenter, partition, trustDomain);
    }

    /// <summary>The gateway's datacenter.</summary>
    public string Datacenter => _names.Datacenter;

    /// <summary>The gateway's partition (<c>default</c> when none was given).</summary>
    public string Partition => _names.Partition;

    /// <summary>The trust domain.</summary>
    public string TrustDomain => _names.TrustDomain;

    /// <summary>
    /// Serves a local service at <c>&lt;service&gt;.&lt;namespace&gt;.&lt;dc&gt;.internal.&lt;td&gt;</c>
    /// (<c>internal-v1</c> with the partition label outside the default partition).
    /// </summary>
    public MeshGatewayRouterBuilder AddLocalService(string service, IEnumerable<UpstreamEndpoint> endpoints, string? @namespace = null)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        _names.AddLocalService(service, @namespace);
        _services.Add((service, @namespace, endpoints.ToArray()));
        return this;
    }

    /// <summary>Serves a local endpoint set under a full SNI (a subset, another namespace, any exact name).</summary>
    public MeshGatewayRouterBuilder AddServiceSni(string serverName, IEnumerable<UpstreamEndpoint> endpoints)
    {
        ArgumentException.ThrowIfNullOrEmpty(serverName);
        ArgumentNullException.ThrowIfNull(endpoints);
        _names.AddServiceSni(serverName);
        _serviceSnis.Add((serverName, endpoints.ToArray()));
        return this;
    }

    /// <summary>Sends every name under <paramref name="datacenter"/>'s gateway SNI to that datacenter's gateways.</summary>
    public MeshGatewayRouterBuilder AddRemoteGateway(string datacenter, IEnumerable<UpstreamEndpoint> endpoints, string? partition = null)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        _names.AddRemoteGateway(datacenter, partition);
        _remotes.Add((datacenter, string.IsNullOrEmpty(partition) ? null : partition, endpoints.ToArray()));
        return this;
    }

    /// <summary>Writes <paramref name="preamble"/> (a PROXY protocol header) to every upstream before the client's bytes; null for none.</summary>
    public MeshGatewayRouterBuilder UsePreamble(IUpstreamPreambleWriter? preamble)
    {
        _preamble = preamble;
        return this;
    }

    /// <summary>Sets how each cluster's endpoint selector is made (default: power of two choices).</summary>
    public MeshGatewayRouterBuilder UseSelector(Func<string, IUpstreamSelector> selectorFactory)
    {
        ArgumentNullException.ThrowIfNull(selectorFactory);
        _selectorFactory = selectorFactory;
        return this;
    }

    /// <summary>Builds the resolver, or throws <see cref="SniRouteTableException"/> listing every invalid name at once.</summary>
    public MeshGatewayRouteResolver Build() =>
        TryBuild(out MeshGatewayRouteResolver? resolver, out IReadOnlyList<string> errors) ? resolver! : throw new SniRouteTableException(errors);

    /// <summary>Builds the resolver, or reports every invalid name and colliding route at once.</summary>
    /// <param name="resolver">The resolver, or <see langword="null"/> when there are errors.</param>
    /// <param name="errors">Every problem found; empty on success.</param>
    /// <returns><see langword="true"/> when the resolver was built.</returns>
    public bool TryBuild(out MeshGatewayRouteResolver? resolver, out IReadOnlyList<string> errors)
    {
        // Naming builds the only table; each destination's payload is its cluster, made once, keyed by the
        // cluster name Naming gives it (every name is valid when the map runs).
        Dictionary<string, IReadOnlyList<UpstreamEndpoint>>? endpoints = null;
        bool built = _names.TryBuild(
            route =>
            {
                endpoints ??= EndpointsByCluster();
                string cluster = route.ClusterName;
                return new ForwardRoute(cluster, new UpstreamCluster(cluster, endpoints[cluster], _selectorFactory(cluster), _preamble));
            },
            out SniRouteTable<ForwardRoute>? table,
            out errors);
        resolver = built ? new MeshGatewayRouteResolver(table!) : null;
        return built;
    }

    /// <summary>Builds the resolver and one listener per address, all routing with it.</summary>
    /// <param name="listen">The addresses the gateway listens on.</param>
    /// <returns>The listeners, in order.</returns>
    /// <exception cref="SniRouteTableException">Any name is invalid or two routes collide; every problem is listed.</exception>
    public IReadOnlyList<ListenerPlan> BuildListeners(params IEnumerable<IPEndPoint> listen) =>
        TryBuildListeners(listen, out IReadOnlyList<ListenerPlan>? listeners, out IReadOnlyList<string> errors)
            ? listeners!
            : throw new SniRouteTableException(errors);

    /// <summary>Builds the resolver and one listener per address, or reports every problem.</summary>
    /// <param name="listen">The addresses the gateway listens on.</param>
    /// <param name="listeners">The listeners, or <see langword="null"/> when there are errors.</param>
    /// <param name="errors">Every problem found; empty on success.</param>
    /// <returns><see langword="true"/> when the listeners were built.</returns>
    public bool TryBuildListeners(IEnumerable<IPEndPoint> listen, out IReadOnlyList<ListenerPlan>? listeners, out IReadOnlyList<string> errors)
    {
        ArgumentNullException.ThrowIfNull(listen);
        listeners = null;
        if (!TryBuild(out MeshGatewayRouteResolver? resolver, out errors))
        {
            return false;
        }

        listeners = listen.Select(endPoint => new ListenerPlan($"mesh gateway {Datacenter}", endPoint, resolver!, sniffsClientHello: true)).ToArray();
        return true;
    }

    /// <summary>
    /// What the gateway serves, one line each (<c>serves &lt;name or *.suffix&gt; -&gt; &lt;endpoints&gt;</c>), for a host
    /// to print at start. Call after <see cref="TryBuild"/> succeeded.
    /// </summary>
    /// <returns>The lines, local services first.</returns>
    public IReadOnlyList<string> DescribeRoutes()
    {
        var lines = new List<string>();
        foreach ((string service, string? ns, IReadOnlyList<UpstreamEndpoint> endpoints) in _services)
        {
            lines.Add($"serves {ConsulSni.Service(service, null, ns, Partition, Datacenter, TrustDomain)} -> {string.Join(", ", endpoints)}");
        }

        foreach ((string sni, IReadOnlyList<UpstreamEndpoint> endpoints) in _serviceSnis)
        {
            lines.Add($"serves {sni} -> {string.Join(", ", endpoints)}");
        }

        foreach ((string dc, string? partition, IReadOnlyList<UpstreamEndpoint> endpoints) in _remotes)
        {
            lines.Add($"serves *.{ConsulSni.Gateway(dc, partition, TrustDomain)} -> {dc} gateways {string.Join(", ", endpoints)}");
        }

        return lines;
    }

    private Dictionary<string, IReadOnlyList<UpstreamEndpoint>> EndpointsByCluster()
    {
        var endpoints = new Dictionary<string, IReadOnlyList<UpstreamEndpoint>>(StringComparer.OrdinalIgnoreCase);
        foreach ((string service, string? ns, IReadOnlyList<UpstreamEndpoint> list) in _services)
        {
            endpoints[ConsulSni.Service(service, null, ns, Partition, Datacenter, TrustDomain)] = list;
        }

        foreach ((string sni, IReadOnlyList<UpstreamEndpoint> list) in _serviceSnis)
        {
            endpoints[sni] = list;
        }

        foreach ((string dc, string? partition, IReadOnlyList<UpstreamEndpoint> list) in _remotes)
        {
            endpoints[ConsulSni.Gateway(dc, partition, TrustDomain)] = list;
        }

        return endpoints;
    }
}
