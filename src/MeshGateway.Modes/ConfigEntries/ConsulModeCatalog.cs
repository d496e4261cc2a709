using System.Diagnostics.CodeAnalysis;

namespace MeshGateway.Modes.ConfigEntries;

/// <summary>
/// Consul config entries and proxy registrations, and the lookups that turn them into the resolver's input for
/// one upstream (Consul <c>agent/configentry/resolve.go</c>, <c>merge_service_config.go</c>,
/// <c>agent/consul/discoverychain/compile.go</c>). Immutable.
/// </summary>
public sealed class ConsulModeCatalog
{
    /// <summary>The datacenter assumed when none is given: <c>dc1</c>, Consul's default.</summary>
    public const string DefaultDatacenter = "dc1";

    private const string DefaultName = "default";

    /// <summary>Creates a catalog.</summary>
    /// <param name="datacenter">The local datacenter; null or empty for <see cref="DefaultDatacenter"/>.</param>
    /// <param name="partition">The local admin partition; null or empty for <c>default</c>.</param>
    /// <param name="proxyDefaults">proxy-defaults entries, one per partition.</param>
    /// <param name="serviceDefaults">service-defaults entries.</param>
    /// <param name="services">Proxy registrations.</param>
    public ConsulModeCatalog(
        string? datacenter,
        string? partition,
        IEnumerable<ProxyDefaultsEntry> proxyDefaults,
        IEnumerable<ServiceDefaultsEntry> serviceDefaults,
        IEnumerable<ServiceRegistration> services)
    {
        ArgumentNullException.ThrowIfNull(proxyDefaults);
        ArgumentNullException.ThrowIfNull(serviceDefaults);
        ArgumentNullException.ThrowIfNull(services);
        Datacenter = string.IsNullOrEmpty(datacenter) ? DefaultDatacenter : datacenter;
        Partition = string.IsNullOrEmpty(partition) ? null : partition;
        ProxyDefaults = proxyDefaults.ToArray();
        ServiceDefaults = serviceDefaults.ToArray();
        Services = services.ToArray();
    }

    /// <summary>The local datacenter.</summary>
    public string Datacenter { get; }

    /// <summary>The local admin partition; null for <c>default</c>.</summary>
    public string? Partition { get; }

    /// <summary>The proxy-defaults entries.</summary>
    public IReadOnlyList<ProxyDefaultsEntry> ProxyDefaults { get; }

    /// <summary>The service-defaults entries.</summary>
    public IReadOnlyList<ServiceDefaultsEntry> ServiceDefaults { get; }

    /// <summary>The proxy registrations.</summary>
    public IReadOnlyList<ServiceRegistration> Services { get; }

    /// <summary>The same entries seen from another datacenter and partition.</summary>
    /// <param name="datacenter">The local datacenter; null keeps this catalog's.</param>
    /// <param name="partition">The local partition; null keeps this catalog's.</param>
    /// <returns>A new catalog.</returns>
    public ConsulModeCatalog WithLocation(string? datacenter, string? partition) =>
        new(datacenter ?? Datacenter, partition ?? Partition, ProxyDefaults, ServiceDefaults, Services);

    /// <summary>The proxy-defaults entry of a partition.</summary>
    /// <param name="partition">The partition; null or empty for <c>default</c>.</param>
    /// <returns>The entry, or null.</returns>
    public ProxyDefaultsEntry? FindProxyDefaults(string? partition)
    {
        string wanted = Normalize(partition);
        return ProxyDefaults.FirstOrDefault(e => Normalize(e.Partition) == wanted);
    }

    /// <summary>The service-defaults entry of a service.</summary>
    /// <param name="service">The service name (exact).</param>
    /// <param name="namespace">Its namespace; null or empty for <c>default</c>.</param>
    /// <param name="partition">Its partition; null or empty for <c>default</c>.</param>
    /// <returns>The entry, or null.</returns>
    public ServiceDefaultsEntry? FindServiceDefaults(string service, string? @namespace, string? partition)
    {
        string ns = Normalize(@namespace);
        string part = Normalize(partition);
        return ServiceDefaults.FirstOrDefault(e =>
            string.Equals(e.Name, service, StringComparison.Ordinal) && Normalize(e.Namespace) == ns && Normalize(e.Partition) == part);
    }

    /// <summary>
    /// The proxy registration for a service: the one fronting <paramref name="name"/>, else the one whose own
    /// registration name is <paramref name="name"/> (<c>web-sidecar-proxy</c>, or a connect-proxy's <c>Name</c>).
    /// </summary>
    /// <param name="name">The destination service, or the proxy's own name (exact).</param>
    /// <returns>The registration, or null.</returns>
    public ServiceRegistration? FindRegistration(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Services.FirstOrDefault(s => string.Equals(s.Service, name, StringComparison.Ordinal))
            ?? Services.FirstOrDefault(s => string.Equals(s.ProxyName, name, StringComparison.Ordinal));
    }

    /// <summary>
    /// The <c>UpstreamConfig.Overrides</c> item of <paramref name="entry"/> that applies to an upstream (Consul
    /// step 8): name, namespace and partition must match (an override's empty namespace or partition is the entry's
    /// own); the peer must match too, except that when no override in the entry names a peer, the upstream's peer is
    /// ignored (Consul's 1.14 compatibility rule). Consul keys overrides in a map, so the last match wins.
    /// </summary>
    /// <param name="entry">The downstream service's service-defaults.</param>
    /// <param name="upstream">The upstream's service name.</param>
    /// <param name="namespace">The upstream's namespace; null or empty for <c>default</c>.</param>
    /// <param name="partition">The upstream's partition; null or empty for <c>default</c>.</param>
    /// <param name="peer">The upstream's peer; null or empty when not peered.</param>
    /// <returns>The matching override, or null.</returns>
    public static UpstreamConfigEntry? FindOverride(
        ServiceDefaultsEntry entry, string upstream, string? @namespace, string? partition, string? peer)
    {
        ArgumentNullException.ThrowIfNull(entry);
        string ns = Normalize(@namespace);
        string part = Normalize(partition);
        bool anyNamesPeer = entry.UpstreamOverrides.Any(o => !string.IsNullOrEmpty(o.Peer));
        UpstreamConfigEntry? match = null;
        foreach (UpstreamConfigEntry candidate in entry.UpstreamOverrides)
        {
            bool samePeer = !anyNamesPeer || string.Equals(candidate.Peer ?? "", peer ?? "", StringComparison.Ordinal);
            if (string.Equals(candidate.Name, upstream, StringComparison.Ordinal)
                && Normalize(Or(candidate.Namespace, entry.Namespace)) == ns
                && Normalize(Or(candidate.Partition, entry.Partition)) == part
                && samePeer)
            {
                match = candidate;
            }
        }

        return match;
    }

    /// <summary>
    /// Gathers the resolver's input for upstream <paramref name="upstream"/> of the proxy fronting
    /// <paramref name="service"/>: the upstream's own mode, the downstream's service-defaults override, the proxy
    /// registration, the downstream's <c>UpstreamConfig.Defaults</c> and top-level mode, proxy-defaults of the
    /// downstream's partition, and the target service's own service-defaults (not consulted for peered targets,
    /// whose entries live in the peer).
    /// </summary>
    /// <remarks>
    /// A transparent proxy also reaches upstreams it does not declare; such an implicit upstream is taken to be in
    /// the downstream's datacenter, namespace and partition, with no mode of its own (<c>agent/proxycfg/connect_proxy.go</c>). A prepared-query
    /// upstream gets no central configuration (Consul's <c>MergeServiceConfig</c> skips it) and no discovery chain,
    /// so only its own mode is reported; it is always dialled directly.
    /// </remarks>
    /// <param name="service">
    /// The downstream service (the registration's service, or a connect-proxy's destination), or the proxy's own
    /// registration name (see <see cref="FindRegistration"/>).
    /// </param>
    /// <param name="upstream">The upstream's destination name.</param>
    /// <param name="input">The input, when found.</param>
    /// <param name="error">Why not, when not found.</param>
    /// <returns>True when the registration and upstream were found.</returns>
    public bool TryGetUpstreamInput(
        string service, string upstream, out UpstreamResolutionInput input, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(upstream);
        input = default;
        ServiceRegistration? registration = FindRegistration(service);
        if (registration is null)
        {
            error = $"no proxy registration for service \"{service}\"";
            return false;
        }

        UpstreamRegistration? declared = registration.Upstreams.FirstOrDefault(
            u => string.Equals(u.DestinationName, upstream, StringComparison.Ordinal));
        if (declared is null && registration.TransparentProxy)
        {
            declared = new UpstreamRegistration(upstream, null, null, null, null, IsPreparedQuery: false, MeshGatewayMode.Default);
        }

        if (declared is null)
        {
            error = $"service \"{service}\" declares no upstream \"{upstream}\"";
            return false;
        }

        if (declared.IsPreparedQuery)
        {
            input = new UpstreamResolutionInput(
                new MeshGatewayModeLayers(Upstream: declared.Mode),
                new UpstreamTarget(Datacenter, declared.Datacenter, IsPreparedQuery: true));
            error = null;
            return true;
        }

        // An upstream without a namespace or partition is in the downstream's (Consul fills them from the proxy).
        string downstreamNamespace = Normalize(registration.Namespace);
        string downstreamPartition = Normalize(Or(registration.Partition, Partition));
        string targetNamespace = Normalize(Or(declared.DestinationNamespace, downstreamNamespace));
        string targetPartition = Normalize(Or(declared.DestinationPartition, downstreamPartition));
        bool peered = !string.IsNullOrEmpty(declared.DestinationPeer);

        ServiceDefaultsEntry? downstreamDefaults = FindServiceDefaults(registration.Service, downstreamNamespace, downstreamPartition);
        UpstreamConfigEntry? upstreamOverride = downstreamDefaults is null
            ? null
            : FindOverride(downstreamDefaults, upstream, targetNamespace, targetPartition, declared.DestinationPeer);
        ServiceDefaultsEntry? targetDefaults = peered
            ? null
            : FindServiceDefaults(upstream, targetNamespace, targetPartition);

        var layers = new MeshGatewayModeLayers(
            Upstream: declared.Mode,
            UpstreamOverride: upstreamOverride?.Mode ?? MeshGatewayMode.Default,
            Proxy: registration.ProxyMode,
            UpstreamDefaults: downstreamDefaults?.UpstreamDefaults?.Mode ?? MeshGatewayMode.Default,
            ServiceDefaults: downstreamDefaults?.Mode ?? MeshGatewayMode.Default,
            ProxyDefaults: FindProxyDefaults(downstreamPartition)?.Mode ?? MeshGatewayMode.Default,
            TargetServiceDefaults: targetDefaults?.Mode ?? MeshGatewayMode.Default);
        var target = new UpstreamTarget(
            LocalDatacenter: Datacenter,
            TargetDatacenter: declared.Datacenter,
            LocalPartition: downstreamPartition,
            TargetPartition: targetPartition,
            Peer: declared.DestinationPeer,
            HasExternalSni: !string.IsNullOrEmpty(targetDefaults?.ExternalSni));
        input = new UpstreamResolutionInput(layers, target);
        error = null;
        return true;
    }

    private static string Normalize(string? name) => string.IsNullOrEmpty(name) ? DefaultName : name;

    private static string? Or(string? value, string? fallback) => string.IsNullOrEmpty(value) ? fallback : value;
}
