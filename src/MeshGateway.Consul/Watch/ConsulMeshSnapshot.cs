using System.Collections.Frozen;
using MeshGateway.Modes.ConfigEntries;

namespace MeshGateway.Consul.Watch;

/// <summary>
/// What the agent said, at one moment: immutable, replaced as a whole (never changed in place) when anything changes,
/// so a consumer maps one snapshot to its routes without locks. <see cref="Version"/> grows by one with each change.
/// </summary>
public sealed class ConsulMeshSnapshot
{
    internal ConsulMeshSnapshot(
        long version,
        string datacenter,
        string? trustDomain,
        FrozenDictionary<string, IReadOnlyList<ConsulServiceEndpoint>> localServices,
        FrozenDictionary<string, IReadOnlyList<ConsulGatewayEndpoint>> remoteDatacenters,
        ConsulModeCatalog? modes,
        IReadOnlyList<ConsulConfigError> modeErrors,
        FrozenDictionary<string, ConsulServiceResolver> serviceResolvers)
    {
        Version = version;
        Datacenter = datacenter;
        TrustDomain = trustDomain;
        LocalServices = localServices;
        RemoteDatacenters = remoteDatacenters;
        Modes = modes;
        ModeErrors = modeErrors;
        ServiceResolvers = serviceResolvers;
    }

    /// <summary>0 before anything was read; one more with each change.</summary>
    public long Version { get; }

    /// <summary>The gateway's own datacenter.</summary>
    public string Datacenter { get; }

    /// <summary>The Connect trust domain (given, or <c>TrustDomain</c> of <c>/v1/connect/ca/roots</c>), or null while unknown.</summary>
    public string? TrustDomain { get; }

    /// <summary>Local services (by name) and their passing Connect-capable instances; a service with none is absent.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<ConsulServiceEndpoint>> LocalServices { get; }

    /// <summary>Other datacenters (by name) and their passing mesh gateways; a datacenter with none is absent.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<ConsulGatewayEndpoint>> RemoteDatacenters { get; }

    /// <summary>
    /// The <c>proxy-defaults</c> and <c>service-defaults</c> config entries read by MeshGateway.Modes' reader, or null
    /// before they were read (or when not watched). When a later read has errors, the last good catalog stays.
    /// </summary>
    public ConsulModeCatalog? Modes { get; }

    /// <summary>The errors of the last config-entry read (empty when it succeeded).</summary>
    public IReadOnlyList<ConsulConfigError> ModeErrors { get; }

    /// <summary>
    /// The <c>service-resolver</c> config entries (<c>GET /v1/config/service-resolver</c>) by service name: the subsets a
    /// gateway routes by. Empty before they were read (or when not watched).
    /// </summary>
    public IReadOnlyDictionary<string, ConsulServiceResolver> ServiceResolvers { get; }

    /// <summary>The snapshot before anything was read.</summary>
    internal static ConsulMeshSnapshot Empty(string datacenter, string? trustDomain) =>
        new(0, datacenter, trustDomain, FrozenDictionary<string, IReadOnlyList<ConsulServiceEndpoint>>.Empty,
            FrozenDictionary<string, IReadOnlyList<ConsulGatewayEndpoint>>.Empty, null, [], FrozenDictionary<string, ConsulServiceResolver>.Empty);
}
