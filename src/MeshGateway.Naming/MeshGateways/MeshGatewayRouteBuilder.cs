namespace MeshGateway.Naming;

/// <summary>
/// Builds the SNI route table Consul's mesh gateway uses (spec §4, <c>makeMeshGatewayListener</c> and
/// <c>clustersFromSnapshotMeshGateway</c> in <c>agent/xds</c>), for one gateway in one datacenter and partition:
/// <list type="bullet">
/// <item>each local service, and each of its subsets, by its exact SNI → <see cref="MeshGatewayRouteKind.LocalService"/>
/// (Consul reaches these through its catch-all chain, whose <c>sni_cluster</c> filter picks the cluster named exactly
/// by the SNI; an exact rule per cluster is the same decision);</item>
/// <item>for each remote datacenter/partition other than the gateway's own, <c>*.&lt;gateway SNI&gt;</c> →
/// <see cref="MeshGatewayRouteKind.RemoteGateway"/>, plus the gateway SNI itself exactly (the catch-all would pick the
/// cluster of that name);</item>
/// <item>nothing else: unknown services and datacenters, other trust domains, prepared queries and a missing SNI get
/// no route, and the gateway closes the connection.</item>
/// </list>
/// Peering and WAN-federation server chains are not part of this table. Every name is checked before the table is
/// built: datacenters as Consul's agent checks them (<c>[a-z0-9_-]</c>), every other label and the trust domain's
/// labels with <see cref="ConsulNameValidation.ValidateSniLabel"/> (<c>[A-Za-z0-9_-]</c>), and every problem is reported.
/// </summary>
public sealed class MeshGatewayRouteBuilder
{
    private readonly string _datacenter;
    private readonly string _partition;
    private readonly string _trustDomain;
    private readonly List<(string Service, string? Namespace, string[] Subsets)> _services = [];
    private readonly List<(string Datacenter, string Partition)> _remotes = [];
    private readonly List<string> _serviceSnis = [];

    /// <summary>Starts a table for the gateway in <paramref name="datacenter"/>/<paramref name="partition"/>.</summary>
    /// <param name="datacenter">The gateway's datacenter.</param>
    /// <param name="partition">The gateway's partition; <see langword="null"/>/empty means <c>default</c>.</param>
    /// <param name="trustDomain">The cluster's trust domain, for example <c>&lt;cluster-id&gt;.consul</c>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="datacenter"/> or <paramref name="trustDomain"/> is null.</exception>
    public MeshGatewayRouteBuilder(string datacenter, string? partition, string trustDomain)
    {
        ArgumentNullException.ThrowIfNull(datacenter);
        ArgumentNullException.ThrowIfNull(trustDomain);
        _datacenter = datacenter;
        _partition = string.IsNullOrEmpty(partition) ? ConsulSniLabels.Default : partition;
        _trustDomain = trustDomain;
    }

    /// <summary>The gateway's datacenter.</summary>
    public string Datacenter => _datacenter;

    /// <summary>The gateway's partition (<c>default</c> when none was given).</summary>
    public string Partition => _partition;

    /// <summary>The trust domain every name is built with.</summary>
    public string TrustDomain => _trustDomain;

    /// <summary>Adds a service of the gateway's datacenter and partition, and its service-resolver subsets.</summary>
    /// <param name="service">The service name.</param>
    /// <param name="namespace">The namespace; <see langword="null"/>/empty means <c>default</c>.</param>
    /// <param name="subsets">The subsets that get their own cluster, if any.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="service"/> is null.</exception>
    public MeshGatewayRouteBuilder AddLocalService(string service, string? @namespace = null, IEnumerable<string>? subsets = null)
    {
        ArgumentNullException.ThrowIfNull(service);
        _services.Add((service, string.IsNullOrEmpty(@namespace) ? ConsulSniLabels.Default : @namespace, subsets?.ToArray() ?? []));
        return this;
    }

    /// <summary>Adds a datacenter/partition whose mesh gateways this gateway knows. The gateway's own is skipped, as in Consul.</summary>
    /// <param name="datacenter">The remote datacenter.</param>
    /// <param name="partition">The remote partition; <see langword="null"/>/empty means <c>default</c>.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="datacenter"/> is null.</exception>
    public MeshGatewayRouteBuilder AddRemoteGateway(string datacenter, string? partition = null)
    {
        ArgumentNullException.ThrowIfNull(datacenter);
        _remotes.Add((datacenter, string.IsNullOrEmpty(partition) ? ConsulSniLabels.Default : partition));
        return this;
    }

    /// <summary>
    /// Adds a local destination under a full server name given as is (a subset, another namespace, any exact name the
    /// gateway serves locally). Its route is a <see cref="MeshGatewayRouteKind.LocalService"/> whose
    /// <see cref="MeshGatewayRoute.ClusterName"/> is the name and whose <see cref="MeshGatewayRoute.Service"/> is
    /// <see langword="null"/>. A name equal to another rule's is reported as a duplicate.
    /// </summary>
    /// <param name="serverName">The exact server name.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="serverName"/> is null.</exception>
    public MeshGatewayRouteBuilder AddServiceSni(string serverName)
    {
        ArgumentNullException.ThrowIfNull(serverName);
        _serviceSnis.Add(serverName);
        return this;
    }

    /// <summary>Validates everything and builds the table.</summary>
    /// <returns>The immutable table.</returns>
    /// <exception cref="SniRouteTableException">Any part is invalid or two routes collide; every problem is listed.</exception>
    public SniRouteTable<MeshGatewayRoute> Build() => Build(static route => route);

    /// <summary>
    /// Validates everything and builds a table whose payload is <paramref name="map"/>'s result for each destination,
    /// so a forwarder holds one table of its own routes and a lookup is one hop. <paramref name="map"/> is called
    /// once per destination (a remote gateway's wildcard and exact name share the result).
    /// </summary>
    /// <typeparam name="TRoute">What a destination routes to.</typeparam>
    /// <param name="map">Makes the payload of a destination.</param>
    /// <returns>The immutable table.</returns>
    /// <exception cref="SniRouteTableException">Any part is invalid or two routes collide; every problem is listed.</exception>
    public SniRouteTable<TRoute> Build<TRoute>(Func<MeshGatewayRoute, TRoute> map) =>
        TryBuild(map, out SniRouteTable<TRoute>? table, out IReadOnlyList<string> errors)
            ? table!
            : throw new SniRouteTableException(errors);

    /// <summary>Validates everything and builds the table, or reports every problem.</summary>
    /// <param name="table">The table, or <see langword="null"/> when there are errors.</param>
    /// <param name="errors">Every problem found; empty on success.</param>
    /// <returns><see langword="true"/> when the table was built.</returns>
    public bool TryBuild(out SniRouteTable<MeshGatewayRoute>? table, out IReadOnlyList<string> errors) =>
        TryBuild(static route => route, out table, out errors);

    /// <summary>Validates everything and builds a table of <paramref name="map"/>'s payloads, or reports every problem.</summary>
    /// <typeparam name="TRoute">What a destination routes to.</typeparam>
    /// <param name="map">Makes the payload of a destination; called only when every name is valid.</param>
    /// <param name="table">The table, or <see langword="null"/> when there are errors.</param>
    /// <param name="errors">Every problem found; empty on success.</param>
    /// <returns><see langword="true"/> when the table was built.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="map"/> is null.</exception>
    public bool TryBuild<TRoute>(Func<MeshGatewayRoute, TRoute> map, out SniRouteTable<TRoute>? table, out IReadOnlyList<string> errors)
    {
        ArgumentNullException.ThrowIfNull(map);
        // Every name is checked whether or not the gateway's own are valid, so one run lists every problem.
        var problems = new List<string>();
        bool gatewayValid = CheckDatacenter(problems, "gateway datacenter", _datacenter)
            & CheckLabel(problems, "gateway partition", _partition)
            & CheckTrustDomain(problems, _trustDomain);

        var rules = new List<(bool Wildcard, string Pattern, MeshGatewayRoute Route)>();
        foreach (string serverName in _serviceSnis)
        {
            // The rule builder checks the name's shape; it is served as given.
            rules.Add((false, serverName, new MeshGatewayRoute(MeshGatewayRouteKind.LocalService, serverName, _datacenter, _partition)));
        }

        foreach ((string service, string? ns, string[] subsets) in _services)
        {
            bool valid = CheckLabel(problems, "service", service) & CheckLabel(problems, $"namespace of service \"{service}\"", ns!);
            foreach (string subset in subsets)
            {
                valid &= CheckLabel(problems, $"subset of service \"{service}\"", subset);
            }

            if (!valid || !gatewayValid)
            {
                continue;
            }

            AddLocal(rules, service, ns!, subset: null);
            foreach (string subset in subsets)
            {
                AddLocal(rules, service, ns!, subset);
            }
        }

        foreach ((string dc, string partition) in _remotes)
        {
            bool valid = CheckDatacenter(problems, "remote datacenter", dc) & CheckLabel(problems, $"partition of remote datacenter \"{dc}\"", partition);
            if (!valid || !gatewayValid || IsOwnKey(dc, partition))
            {
                // Consul skips the gateway's own key (makeMeshGatewayListener).
                continue;
            }

            string gatewaySni = ConsulSni.Gateway(dc, partition, _trustDomain);
            var route = new MeshGatewayRoute(MeshGatewayRouteKind.RemoteGateway, gatewaySni, dc, partition);
            rules.Add((true, "*." + gatewaySni, route));
            rules.Add((false, gatewaySni, route));
        }

        var check = new SniRouteTableBuilder<MeshGatewayRoute>();
        foreach ((bool wildcard, string pattern, MeshGatewayRoute route) in rules)
        {
            _ = wildcard ? check.AddWildcard(pattern, route) : check.AddExact(pattern, route);
        }

        if (check.TryBuild(out _, out IReadOnlyList<string> ruleErrors) && problems.Count == 0)
        {
            table = Map(rules, map);
            errors = [];
            return true;
        }

        problems.AddRange(ruleErrors);
        table = null;
        errors = problems;
        return false;
    }

    private static SniRouteTable<TRoute> Map<TRoute>(List<(bool Wildcard, string Pattern, MeshGatewayRoute Route)> built, Func<MeshGatewayRoute, TRoute> map)
    {
        // Every rule is valid now; rebuild with each destination's payload, made once per destination.
        var payloads = new Dictionary<MeshGatewayRoute, TRoute>(ReferenceEqualityComparer.Instance);
        var rules = new SniRouteTableBuilder<TRoute>();
        foreach ((bool wildcard, string pattern, MeshGatewayRoute route) in built)
        {
            if (!payloads.TryGetValue(route, out TRoute? payload))
            {
                payload = map(route);
                payloads.Add(route, payload);
            }

            _ = wildcard ? rules.AddWildcard(pattern, payload) : rules.AddExact(pattern, payload);
        }

        return rules.Build();
    }

    /// <summary>
    /// Whether a remote key is the gateway's own. Names route ASCII case-insensitively (RFC 4343), so
    /// <c>dc1/foo</c> is the gateway's own key in partition <c>Foo</c>: keeping it would send the gateway's own
    /// names, unknown services included, to the "remote" gateways instead of closing them.
    /// </summary>
    private bool IsOwnKey(string datacenter, string partition) =>
        string.Equals(datacenter, _datacenter, StringComparison.OrdinalIgnoreCase)
        && string.Equals(partition, _partition, StringComparison.OrdinalIgnoreCase);

    private void AddLocal(List<(bool Wildcard, string Pattern, MeshGatewayRoute Route)> rules, string service, string ns, string? subset)
    {
        string sni = ConsulSni.Service(service, subset, ns, _partition, _datacenter, _trustDomain);
        rules.Add((false, sni, new MeshGatewayRoute(MeshGatewayRouteKind.LocalService, sni, _datacenter, _partition, service, ns, subset)));
    }

    private static bool CheckLabel(List<string> problems, string what, string value) =>
        Report(problems, ConsulNameValidation.ValidateSniLabel(value), what, value);

    private static bool CheckDatacenter(List<string> problems, string what, string value) =>
        Report(problems, ConsulNameValidation.ValidateDatacenter(value), what, value);

    private static bool CheckTrustDomain(List<string> problems, string value) =>
        Report(problems, ConsulNameValidation.ValidateSniName(value), "trust domain", value);

    private static bool Report(List<string> problems, ConsulNameError error, string what, string value)
    {
        if (error == ConsulNameError.None)
        {
            return true;
        }

        problems.Add(ConsulNameValidation.Describe(error, what, value));
        return false;
    }
}
