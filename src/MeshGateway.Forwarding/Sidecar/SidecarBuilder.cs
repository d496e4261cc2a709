using System.Globalization;
using System.Net;
using MeshGateway.Modes;
using Microsoft.Extensions.Options;

namespace MeshGateway.Forwarding;

/// <summary>
/// Composes a sidecar's upstream listeners (Consul spec §3.5): one local listener per upstream, whose dial path
/// (the target's instances, the local gateways or the target's gateways) <see cref="MeshGatewayModeResolver"/> decides
/// from the mode layers in <see cref="Modes"/>: the upstream's own mode, the proxy's, proxy-defaults and the rest,
/// in Consul's precedence. Modes are Consul's words: <c>""</c> (or none) for the default, <c>none</c>, <c>local</c>,
/// <c>remote</c>. Every problem (a bad mode, a path with no endpoints) is reported at once, by configuration key.
/// </summary>
/// <example>
/// <code>
/// IReadOnlyList&lt;ListenerPlan&gt; sidecar = new SidecarBuilder("dc1") { Modes = { ProxyDefaults = "local" } }
///     .AddUpstream("db", new IPEndPoint(IPAddress.Loopback, 9191), endpoints, targetDatacenter: "dc2")
///     .Build();
/// </code>
/// </example>
public sealed class SidecarBuilder
{
    private readonly List<(string Name, IPEndPoint Listen, SidecarUpstreamEndpoints Endpoints)> _upstreams = [];
    private IUpstreamPreambleWriter? _preamble;

    /// <summary>Starts a sidecar in <paramref name="datacenter"/>/<paramref name="partition"/>.</summary>
    /// <param name="datacenter">The proxy's datacenter.</param>
    /// <param name="partition">The proxy's admin partition; <see langword="null"/> for <c>default</c>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="datacenter"/> is null.</exception>
    public SidecarBuilder(string datacenter, string? partition = null)
        : this(new MeshGatewayModeOptions { Datacenter = datacenter ?? throw new ArgumentNullException(nameof(datacenter)), Partition = partition })
    {
    }

    /// <summary>Starts a sidecar from mode settings already bound (for example from configuration).</summary>
    /// <param name="modes">The proxy's datacenter, partition and mode layers; upstreams added here are merged into it.</param>
    /// <exception cref="ArgumentNullException"><paramref name="modes"/> is null.</exception>
    public SidecarBuilder(MeshGatewayModeOptions modes)
    {
        ArgumentNullException.ThrowIfNull(modes);
        Modes = modes;
    }

    /// <summary>The mode layers every upstream resolves with (set <see cref="MeshGatewayModeOptions.ProxyDefaults"/> and the like).</summary>
    public MeshGatewayModeOptions Modes { get; }

    /// <summary>Adds an upstream listener.</summary>
    /// <param name="name">The upstream's name (its key in <see cref="MeshGatewayModeOptions.Upstreams"/>).</param>
    /// <param name="listen">The local address the application dials.</param>
    /// <param name="endpoints">The endpoints of every dial path; only the resolved path's are used.</param>
    /// <param name="targetDatacenter">The target's datacenter; <see langword="null"/> for the proxy's own (or what <see cref="Modes"/> already says).</param>
    /// <param name="mode">The upstream's own mode (Consul's word); <see langword="null"/> to leave it to the other layers.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="name"/>, <paramref name="listen"/> or <paramref name="endpoints"/> is null.</exception>
    public SidecarBuilder AddUpstream(string name, IPEndPoint listen, SidecarUpstreamEndpoints endpoints, string? targetDatacenter = null, string? mode = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(listen);
        ArgumentNullException.ThrowIfNull(endpoints);
        if (!Modes.Upstreams.TryGetValue(name, out MeshGatewayUpstreamOptions? upstream))
        {
            upstream = new MeshGatewayUpstreamOptions();
            Modes.Upstreams[name] = upstream;
        }

        upstream.Datacenter = targetDatacenter ?? upstream.Datacenter;
        upstream.Mode = mode ?? upstream.Mode;
        _upstreams.Add((name, listen, endpoints));
        return this;
    }

    /// <summary>Writes <paramref name="preamble"/> (a PROXY protocol header) to every upstream before the client's bytes; null for none.</summary>
    /// <param name="preamble">The preamble writer.</param>
    /// <returns>This builder.</returns>
    public SidecarBuilder UsePreamble(IUpstreamPreambleWriter? preamble)
    {
        _preamble = preamble;
        return this;
    }

    /// <summary>Resolves every upstream's dial path and builds its listener.</summary>
    /// <returns>One listener per upstream, in the order added.</returns>
    /// <exception cref="OptionsValidationException">A mode is invalid or a resolved path has no endpoints; every problem is listed.</exception>
    public IReadOnlyList<ListenerPlan> Build() =>
        TryBuild(out IReadOnlyList<ListenerPlan>? listeners, out IReadOnlyList<string> errors)
            ? listeners!
            : throw new OptionsValidationException(nameof(SidecarBuilder), typeof(MeshGatewayModeOptions), errors);

    /// <summary>Resolves every upstream's dial path and builds its listener, or reports every problem.</summary>
    /// <param name="listeners">One listener per upstream, or <see langword="null"/> when there are errors.</param>
    /// <param name="errors">
    /// Every problem, each naming its key, e.g. <c>Upstreams:db:Mode: Invalid Mesh Gateway Mode: "Local"</c> or
    /// <c>Upstreams:db: mode local (from ProxyDefaults) dials LocalGateway, but no endpoints are listed for it.</c>
    /// </param>
    /// <returns><see langword="true"/> when every listener was built.</returns>
    public bool TryBuild(out IReadOnlyList<ListenerPlan>? listeners, out IReadOnlyList<string> errors)
    {
        bool built = TryBuild(out listeners, out List<(string? Upstream, string Message)> problems);
        errors = problems.ConvertAll(p => p.Upstream is null ? p.Message : $"Upstreams:{p.Upstream}: {p.Message}");
        return built;
    }

    /// <summary>As <see cref="TryBuild(out IReadOnlyList{ListenerPlan}?, out IReadOnlyList{string})"/>, each problem with the upstream it is about (null: the mode layers).</summary>
    internal bool TryBuild(out IReadOnlyList<ListenerPlan>? listeners, out List<(string? Upstream, string Message)> problems)
    {
        listeners = null;
        problems = [];
        if (!MeshGatewayModeSettings.TryCreate(Modes, out MeshGatewayModeSettings? settings, out IReadOnlyList<string> errors))
        {
            problems.AddRange(errors.Select(e => ((string?)null, e)));
            return false;
        }

        var plans = new List<ListenerPlan>();
        foreach ((string name, IPEndPoint listen, SidecarUpstreamEndpoints endpoints) in _upstreams)
        {
            _ = settings.TryResolve(name, out MeshGatewayResolution resolution);
            string mode = resolution.Mode.ToString().ToLowerInvariant();
            ForwardRoute route = SidecarUpstreamRoute.Create(name, resolution, endpoints);
            if (route.Cluster.Endpoints.Count == 0)
            {
                problems.Add((name, string.Create(
                    CultureInfo.InvariantCulture,
                    $"mode {mode} (from {resolution.Source}) dials {resolution.Path}, but no endpoints are listed for it.")));
                continue;
            }

            if (_preamble is not null)
            {
                route = new ForwardRoute(route.Id, new UpstreamCluster(route.Cluster.Name, route.Cluster.Endpoints, route.Cluster.Selector, _preamble));
            }

            string target = settings.Upstreams[name].Target.TargetDatacenter ?? settings.Datacenter;
            string description = string.Create(
                CultureInfo.InvariantCulture,
                $"upstream {name} -> {target}: mode {mode} (from {resolution.Source}), path {resolution.Path} via {string.Join(", ", route.Cluster.Endpoints)}");
            plans.Add(new ListenerPlan(description, listen, new StaticRouteResolver(route), sniffsClientHello: false));
        }

        listeners = problems.Count == 0 ? plans : null;
        return listeners is not null;
    }
}
