using System.Net;
using MeshGateway.Consul.Filtering;
using MeshGateway.Consul.Watch;
using MeshGateway.Forwarding;
using MeshGateway.Naming;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace MeshGateway.Consul.Gateway;

/// <summary>
/// A mesh gateway's route resolver fed live by a <see cref="ConsulMeshWatcher"/>: each snapshot is mapped with
/// <see cref="MeshGatewayRouterBuilder"/> (local services by exact SNI <c>&lt;svc&gt;.&lt;ns&gt;.&lt;dc&gt;.internal.&lt;td&gt;</c>,
/// other datacenters by <c>*.&lt;gateway SNI&gt;</c>) and the resulting table swapped in atomically. A connection
/// resolves once, so connections in flight keep their upstream; a connection that resolves after a swap sees only the
/// new endpoints. Until the first snapshot with a trust domain arrives nothing routes; while the agent is unreachable
/// the watcher keeps its last snapshot and so the last routes stay. Static services and remote gateways are added to
/// every table and win over Consul on a conflict (logged once per change). A service's <c>service-resolver</c> subsets
/// route <c>&lt;subset&gt;.&lt;svc&gt;.&lt;ns&gt;.&lt;dc&gt;.internal.&lt;td&gt;</c> to the instances their filters select, and a
/// <c>DefaultSubset</c> narrows the plain name to its instances.
/// </summary>
public sealed class ConsulGatewayRoutes : IForwardRouteResolver, IImmediateRouteResolver, INonBlockingStage, IDisposable
{
    private readonly ConsulMeshWatcher _watcher;
    private readonly string? _partition;
    private readonly string? _trustDomain;
    private readonly IReadOnlyList<ConsulStaticService> _staticServices;
    private readonly IReadOnlyList<ConsulStaticServiceSni> _staticServiceSnis;
    private readonly IReadOnlyList<ConsulStaticRemoteGateway> _staticRemotes;
    private readonly ILogger _logger;
    private readonly IUpstreamPreambleWriter? _preamble;
    private readonly Lock _gate = new();
    private MeshGatewayRouteResolver? _current;
    private long _appliedVersion = -1;
    private TaskCompletionSource _applied = NewSignal();

    /// <summary>Follows <paramref name="watcher"/>, applying its current snapshot now and each change after.</summary>
    /// <param name="watcher">The Consul watcher (started by the caller).</param>
    /// <param name="partition">The gateway's admin partition; null for <c>default</c>.</param>
    /// <param name="trustDomain">The trust domain; null to take it from each snapshot.</param>
    /// <param name="staticServices">Services given by the user; they win over Consul's.</param>
    /// <param name="staticRemoteGateways">Remote gateways given by the user; they win over Consul's.</param>
    /// <param name="logger">Where conflicts and rejected updates are logged.</param>
    /// <param name="preamble">The header written to every upstream before the client's bytes (PROXY protocol); null for none.</param>
    /// <param name="staticServiceSnis">Endpoint sets given by the user under a full server name; they win over any route Consul gives that name.</param>
    public ConsulGatewayRoutes(
        ConsulMeshWatcher watcher,
        string? partition = null,
        string? trustDomain = null,
        IEnumerable<ConsulStaticService>? staticServices = null,
        IEnumerable<ConsulStaticRemoteGateway>? staticRemoteGateways = null,
        ILogger<ConsulGatewayRoutes>? logger = null,
        IUpstreamPreambleWriter? preamble = null,
        IEnumerable<ConsulStaticServiceSni>? staticServiceSnis = null)
    {
        ArgumentNullException.ThrowIfNull(watcher);
        _watcher = watcher;
        _partition = string.IsNullOrEmpty(partition) ? null : partition;
        _trustDomain = string.IsNullOrEmpty(trustDomain) ? null : trustDomain;
        _staticServices = staticServices?.ToArray() ?? [];
        _staticServiceSnis = staticServiceSnis?.ToArray() ?? [];
        _staticRemotes = staticRemoteGateways?.ToArray() ?? [];
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _preamble = preamble;
        _watcher.SnapshotChanged += OnSnapshotChanged;
        Refresh();
    }

    /// <summary>The version of the last snapshot applied, or -1 before any (no routes yet).</summary>
    public long AppliedVersion => Volatile.Read(ref _appliedVersion);

    /// <summary>Whether routes from a snapshot are in place (the gateway routes from then on).</summary>
    public bool IsRouting => Volatile.Read(ref _current) is not null;

    /// <summary>The table in use, or null before the first snapshot with a trust domain.</summary>
    public MeshGatewayRouteResolver? Current => Volatile.Read(ref _current);

    /// <inheritdoc/>
    public ValueTask<ForwardRoute?> ResolveAsync(ForwardingContext context, CancellationToken cancellationToken) =>
        Volatile.Read(ref _current) is { } table ? table.ResolveAsync(context, cancellationToken) : new ValueTask<ForwardRoute?>((ForwardRoute?)null);

    /// <inheritdoc cref="IImmediateRouteResolver.Resolve"/>
    ForwardRoute? IImmediateRouteResolver.Resolve(ForwardingContext context) =>
        Volatile.Read(ref _current) is IImmediateRouteResolver table ? table.Resolve(context) : null;

    /// <summary>Completes once a snapshot of version <paramref name="version"/> or later is applied.</summary>
    /// <param name="version">The snapshot version to wait for.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>The version applied.</returns>
    public async Task<long> WaitForAppliedAsync(long version, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            Task signal = Volatile.Read(ref _applied).Task;
            long applied = AppliedVersion;
            if (applied >= version)
            {
                return applied;
            }

            await signal.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Maps the watcher's current snapshot onto routes and swaps them in (also called on every change).</summary>
    /// <returns>True when a newer snapshot was applied.</returns>
    public bool Refresh()
    {
        lock (_gate)
        {
            // Read the newest snapshot under the lock: change events run on the thread pool and may arrive out of order.
            ConsulMeshSnapshot snapshot = _watcher.Current;
            if (snapshot.Version <= _appliedVersion || snapshot.Version == 0)
            {
                return false;
            }

            string? trustDomain = _trustDomain ?? snapshot.TrustDomain;
            if (trustDomain is null)
            {
                return false;
            }

            MeshGatewayRouterBuilder builder = Map(snapshot, trustDomain);
            if (!builder.TryBuild(out MeshGatewayRouteResolver? table, out IReadOnlyList<string> errors))
            {
                ConsulGatewayLog.Rejected(_logger, snapshot.Version, string.Join("; ", errors));
                return false;
            }

            Volatile.Write(ref _current, table);
            Volatile.Write(ref _appliedVersion, snapshot.Version);
            Interlocked.Exchange(ref _applied, NewSignal()).TrySetResult();
            ConsulGatewayLog.Applied(_logger, snapshot.Version, snapshot.LocalServices.Count, snapshot.RemoteDatacenters.Count);
            return true;
        }
    }

    /// <summary>Stops following the watcher; the last routes stay in use.</summary>
    public void Dispose() => _watcher.SnapshotChanged -= OnSnapshotChanged;

    private void OnSnapshotChanged(object? sender, ConsulMeshSnapshot snapshot) => Refresh();

    private MeshGatewayRouterBuilder Map(ConsulMeshSnapshot snapshot, string trustDomain)
    {
        MeshGatewayRouterBuilder builder = new MeshGatewayRouterBuilder(_watcher.Datacenter, _partition, trustDomain).UsePreamble(_preamble);
        var staticNames = new HashSet<string>(_staticServices.Select(s => ServiceKey(s.Name, s.Namespace)), StringComparer.OrdinalIgnoreCase);
        foreach (ConsulStaticService service in _staticServices)
        {
            builder.AddLocalService(service.Name, service.Endpoints, NamespaceOf(service.Namespace));
        }

        var staticSnis = new HashSet<string>(_staticServiceSnis.Select(s => s.Sni.TrimEnd('.')), StringComparer.OrdinalIgnoreCase);
        foreach (ConsulStaticServiceSni service in _staticServiceSnis)
        {
            builder.AddServiceSni(service.Sni, service.Endpoints);
        }

        foreach ((string name, IReadOnlyList<ConsulServiceEndpoint> instances) in snapshot.LocalServices.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            // Instances of this gateway's partition only; each namespace is its own SNI.
            foreach (IGrouping<string?, ConsulServiceEndpoint> byNamespace in instances.Where(InPartition).GroupBy(e => NamespaceOf(e.Namespace)))
            {
                if (staticNames.Contains(ServiceKey(name, byNamespace.Key)) || StaticSniWins(staticSnis, name, byNamespace.Key, trustDomain))
                {
                    ConsulGatewayLog.StaticWins(_logger, "service", ConsulGatewayLog.Printable(name));
                    continue;
                }

                ConsulServiceResolver? resolver = snapshot.ServiceResolvers.GetValueOrDefault(name) is { } r && NamespaceOf(r.Namespace) == byNamespace.Key ? r : null;
                ConsulServiceEndpoint[] instancesInNamespace = [.. byNamespace];
                ConsulServiceEndpoint[]? plain = resolver is null ? instancesInNamespace : DefaultInstances(resolver, instancesInNamespace);
                UpstreamEndpoint[] endpoints = Endpoints(name, (plain ?? []).Select(e => (e.Host, e.Port)));
                if (endpoints.Length > 0)
                {
                    builder.AddLocalService(name, endpoints, byNamespace.Key);
                }

                if (resolver is not null)
                {
                    AddSubsets(builder, resolver, instancesInNamespace, trustDomain, staticSnis);
                }
            }
        }

        var staticRemotes = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (ConsulStaticRemoteGateway remote in _staticRemotes)
        {
            builder.AddRemoteGateway(remote.Datacenter, remote.Endpoints, remote.Partition);
            staticRemotes.Add(RemoteKey(remote.Datacenter, remote.Partition));
        }

        foreach ((string dc, IReadOnlyList<ConsulGatewayEndpoint> gateways) in snapshot.RemoteDatacenters.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (string.Equals(dc, _watcher.Datacenter, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (staticRemotes.Contains(RemoteKey(dc, null)))
            {
                ConsulGatewayLog.StaticWins(_logger, "remote gateway", dc);
                continue;
            }

            UpstreamEndpoint[] endpoints = Endpoints(dc, gateways.Select(g => (g.Host, g.Port)));
            if (endpoints.Length > 0)
            {
                builder.AddRemoteGateway(dc, endpoints);
            }
        }

        return builder;
    }

    /// <summary>A service's key among the static ones: its name and namespace (<c>default</c> when none).</summary>
    private static string ServiceKey(string name, string? @namespace) => name + "/" + (NamespaceOf(@namespace) ?? "default");

    /// <summary>Whether a static <c>--service-sni</c> entry serves the plain name Consul's service would be served at.</summary>
    private bool StaticSniWins(HashSet<string> staticSnis, string service, string? @namespace, string trustDomain)
    {
        if (staticSnis.Count == 0)
        {
            return false;
        }

        try
        {
            return staticSnis.Contains(ConsulSni.Service(service, null, @namespace, _partition, _watcher.Datacenter, trustDomain));
        }
        catch (ArgumentException)
        {
            return false; // not a name a client can send; the route table reports it
        }
    }

    /// <summary>
    /// Each subset of a <c>service-resolver</c> routes <c>&lt;subset&gt;.&lt;svc&gt;.&lt;ns&gt;.&lt;dc&gt;.internal.&lt;td&gt;</c>
    /// to the instances its filter selects (Consul's <c>makeEndpointsForServices</c>); a subset whose filter cannot be
    /// evaluated, or whose name cannot be an SNI label, gets no route and is logged.
    /// </summary>
    private void AddSubsets(MeshGatewayRouterBuilder builder, ConsulServiceResolver resolver, ConsulServiceEndpoint[] instances, string trustDomain, HashSet<string> staticSnis)
    {
        foreach ((string subset, ConsulServiceSubset definition) in resolver.Subsets.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (Select(resolver, subset, definition, instances) is not { } selected)
            {
                continue;
            }

            string serverName;
            try
            {
                serverName = ConsulSni.Service(resolver.Service, subset, resolver.Namespace, _partition, _watcher.Datacenter, trustDomain);
            }
            catch (ArgumentException e)
            {
                ConsulGatewayLog.SubsetSkipped(_logger, ConsulGatewayLog.Printable(resolver.Service), ConsulGatewayLog.Printable(subset), e.Message);
                continue;
            }

            if (staticSnis.Contains(serverName))
            {
                ConsulGatewayLog.StaticWins(_logger, "service", ConsulGatewayLog.Printable(serverName));
                continue;
            }

            UpstreamEndpoint[] endpoints = Endpoints(resolver.Service, selected.Select(e => (e.Host, e.Port)));
            if (endpoints.Length > 0)
            {
                builder.AddServiceSni(serverName, endpoints);
            }
        }
    }

    /// <summary>
    /// The instances the plain service name routes to: with a <c>DefaultSubset</c>, that subset's (none when its filter
    /// cannot be evaluated); every instance otherwise, or when the default subset is not declared (logged).
    /// </summary>
    private ConsulServiceEndpoint[]? DefaultInstances(ConsulServiceResolver resolver, ConsulServiceEndpoint[] instances)
    {
        if (resolver.DefaultSubset is not { } name)
        {
            return instances;
        }

        if (!resolver.Subsets.TryGetValue(name, out ConsulServiceSubset? subset))
        {
            ConsulGatewayLog.SubsetSkipped(
                _logger, ConsulGatewayLog.Printable(resolver.Service), ConsulGatewayLog.Printable(name), "the default subset is not declared; the service name routes to every instance");
            return instances;
        }

        return Select(resolver, name, subset, instances);
    }

    private ConsulServiceEndpoint[]? Select(ConsulServiceResolver resolver, string name, ConsulServiceSubset subset, ConsulServiceEndpoint[] instances)
    {
        if (subset.Filter.Length == 0)
        {
            return instances;
        }

        if (!ConsulSubsetFilter.TryCreate(subset.Filter, out ConsulSubsetFilter? filter, out string? error))
        {
            ConsulGatewayLog.SubsetSkipped(_logger, ConsulGatewayLog.Printable(resolver.Service), ConsulGatewayLog.Printable(name), ConsulGatewayLog.Printable(error));
            return null;
        }

        return [.. instances.Where(filter.Matches)];
    }

    private bool InPartition(ConsulServiceEndpoint endpoint) =>
        string.Equals(endpoint.Partition ?? "default", _partition ?? "default", StringComparison.OrdinalIgnoreCase);

    // The default namespace is the builder's own (null), so a static service and Consul's default one collide.
    private static string? NamespaceOf(string? ns) => string.IsNullOrEmpty(ns) || string.Equals(ns, "default", StringComparison.OrdinalIgnoreCase) ? null : ns;

    private static string RemoteKey(string dc, string? partition) => dc + "/" + (string.IsNullOrEmpty(partition) ? "default" : partition);

    private UpstreamEndpoint[] Endpoints(string name, IEnumerable<(string Host, int Port)> addresses)
    {
        var endpoints = new List<UpstreamEndpoint>();
        foreach ((string host, int port) in addresses)
        {
            if (port is < IPEndPoint.MinPort + 1 or > IPEndPoint.MaxPort || string.IsNullOrWhiteSpace(host))
            {
                ConsulGatewayLog.BadEndpoint(_logger, name, $"{host}:{port}");
                continue;
            }

            endpoints.Add(new UpstreamEndpoint(IPAddress.TryParse(host, out IPAddress? ip) ? new IPEndPoint(ip, port) : new DnsEndPoint(host, port)));
        }

        return [.. endpoints];
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
