using System.Diagnostics.CodeAnalysis;
using MeshGateway.Modes.ConfigEntries;

namespace MeshGateway.Modes;

/// <summary>
/// Validated, immutable mesh gateway mode settings built from <see cref="MeshGatewayModeOptions"/>: the resolver
/// input of every configured upstream, ready to resolve without allocating.
/// </summary>
public sealed class MeshGatewayModeSettings
{
    private readonly Dictionary<string, UpstreamResolutionInput> _upstreams;

    private MeshGatewayModeSettings(string datacenter, string? partition, Dictionary<string, UpstreamResolutionInput> upstreams)
    {
        Datacenter = datacenter;
        Partition = partition;
        _upstreams = upstreams;
    }

    /// <summary>The proxy's datacenter.</summary>
    public string Datacenter { get; }

    /// <summary>The proxy's admin partition; null for <c>default</c>.</summary>
    public string? Partition { get; }

    /// <summary>The resolver input of each upstream, keyed by name.</summary>
    public IReadOnlyDictionary<string, UpstreamResolutionInput> Upstreams => _upstreams;

    /// <summary>Validates <paramref name="options"/> and builds the settings, or reports every error.</summary>
    /// <param name="options">The bound options.</param>
    /// <param name="settings">The settings, when valid.</param>
    /// <param name="errors">
    /// Every problem, each naming its configuration key relative to the section, e.g.
    /// <c>Upstreams:db:Mode: Invalid Mesh Gateway Mode: "Local"</c>; empty when valid.
    /// </param>
    /// <returns>True when the options are valid.</returns>
    public static bool TryCreate(
        MeshGatewayModeOptions options, [NotNullWhen(true)] out MeshGatewayModeSettings? settings, out IReadOnlyList<string> errors)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new List<string>();
        MeshGatewayMode proxy = ParseMode(options.Proxy, "Proxy", problems);
        MeshGatewayMode upstreamDefaults = ParseMode(options.UpstreamDefaults, "UpstreamDefaults", problems);
        MeshGatewayMode serviceDefaults = ParseMode(options.ServiceDefaults, "ServiceDefaults", problems);
        MeshGatewayMode proxyDefaults = ParseMode(options.ProxyDefaults, "ProxyDefaults", problems);
        string datacenter = string.IsNullOrEmpty(options.Datacenter) ? ConsulModeCatalog.DefaultDatacenter : options.Datacenter;
        string? partition = string.IsNullOrEmpty(options.Partition) ? null : options.Partition;

        var upstreams = new Dictionary<string, UpstreamResolutionInput>(StringComparer.Ordinal);
        foreach ((string name, MeshGatewayUpstreamOptions? upstream) in options.Upstreams.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            string key = "Upstreams:" + name;
            if (upstream is null)
            {
                problems.Add(key + ": the upstream has no settings");
                continue;
            }

            if (upstream.PreparedQuery && !string.IsNullOrEmpty(upstream.Peer))
            {
                problems.Add(key + ": a prepared query cannot be imported from a peer (set PreparedQuery or Peer, not both)");
            }

            var layers = new MeshGatewayModeLayers(
                Upstream: ParseMode(upstream.Mode, key + ":Mode", problems),
                UpstreamOverride: ParseMode(upstream.Override, key + ":Override", problems),
                Proxy: proxy,
                UpstreamDefaults: upstreamDefaults,
                ServiceDefaults: serviceDefaults,
                ProxyDefaults: proxyDefaults,
                TargetServiceDefaults: ParseMode(upstream.TargetServiceDefaults, key + ":TargetServiceDefaults", problems));
            var target = new UpstreamTarget(
                LocalDatacenter: datacenter,
                TargetDatacenter: string.IsNullOrEmpty(upstream.Datacenter) ? datacenter : upstream.Datacenter,
                LocalPartition: partition,
                TargetPartition: string.IsNullOrEmpty(upstream.Partition) ? partition : upstream.Partition,
                Peer: string.IsNullOrEmpty(upstream.Peer) ? null : upstream.Peer,
                HasExternalSni: upstream.ExternalSni,
                IsPreparedQuery: upstream.PreparedQuery);
            upstreams.Add(name, new UpstreamResolutionInput(layers, target));
        }

        errors = problems.ToArray();
        settings = problems.Count == 0 ? new MeshGatewayModeSettings(datacenter, partition, upstreams) : null;
        return settings is not null;
    }

    /// <summary>Resolves a configured upstream. Allocation-free.</summary>
    /// <param name="upstream">The upstream's name (a key of <see cref="MeshGatewayModeOptions.Upstreams"/>).</param>
    /// <param name="resolution">The resolution, when the upstream is configured.</param>
    /// <returns>True when the upstream is configured.</returns>
    public bool TryResolve(string upstream, out MeshGatewayResolution resolution)
    {
        ArgumentNullException.ThrowIfNull(upstream);
        if (_upstreams.TryGetValue(upstream, out UpstreamResolutionInput input))
        {
            resolution = MeshGatewayModeResolver.Resolve(input.Layers, input.Target);
            return true;
        }

        resolution = default;
        return false;
    }

    private static MeshGatewayMode ParseMode(string? value, string key, List<string> problems)
    {
        if (value is null)
        {
            return MeshGatewayMode.Default;
        }

        if (MeshGatewayModeParser.TryParse(value.AsSpan(), out MeshGatewayMode mode))
        {
            return mode;
        }

        problems.Add(key + ": " + MeshGatewayModeParser.InvalidModeMessage(value));
        return MeshGatewayMode.Default;
    }
}
