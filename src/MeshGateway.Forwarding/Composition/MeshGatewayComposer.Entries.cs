using MeshGateway.Modes;
using MeshGateway.Modes.ConfigEntries;

namespace MeshGateway.Forwarding;

/// <summary>
/// Upstream listeners' config-entry files (issue 17): read with MeshGateway.Modes' <see cref="ConsulConfigReader"/>,
/// the reader <c>meshgw resolve --entries</c> uses, and turned into the mode layers of every upstream. The file's own
/// words sit at their Consul layers and win there: an upstream's <c>mode</c> is the upstream definition's
/// <c>mesh_gateway</c>, <c>defaultMode</c> is proxy-defaults; every other layer comes from the entries.
/// </summary>
public sealed partial class MeshGatewayComposer
{
    /// <summary>Reads <see cref="MeshGatewayOptions.Entries"/>; null when there are none or they have errors (each under <c>entries[i]</c>).</summary>
    private ConsulModeCatalog? ReadEntries()
    {
        string[] list = Path(nameof(MeshGatewayOptions.Entries));
        string[] servicePath = Path(nameof(MeshGatewayOptions.Service));
        if (_options.Mode == MeshGatewayRole.MeshGateway)
        {
            if (_options.Entries.Count > 0 && !IsReportedUnder(list))
            {
                Error(list, "only upstream listeners read config entries (they decide upstream modes); a mesh gateway routes by SNI whatever the modes.");
            }

            if (_options.Service is not null && !IsReported(servicePath))
            {
                Error(servicePath, "only upstream listeners name the service whose upstreams they are.");
            }

            return null;
        }

        CheckName(_options.Service, servicePath, MeshGatewayNames.LabelProblem, "service");
        if (_options.Service is not null && _options.Entries.Count == 0 && !IsReported(servicePath) && !IsReportedUnder(list))
        {
            Error(servicePath, "needs entries: the service's proxy registration is read from them.");
        }

        if (_options.Entries.Count == 0)
        {
            return null;
        }

        var files = new List<string>();
        var indexes = new Dictionary<string, int>(StringComparer.Ordinal);
        int errorsBefore = _errors.Count;
        for (int i = 0; i < _options.Entries.Count; i++)
        {
            string[] itemPath = Index(list, i);
            string? written = _options.Entries[i];
            if (IsReported(itemPath))
            {
                continue;
            }

            if (string.IsNullOrWhiteSpace(written) || written.Contains('\0', StringComparison.Ordinal))
            {
                Error(itemPath, $"expected a file path, got {MeshGatewayText.Quote(written)}.");
                continue;
            }

            string full = ResolveFile(written)!;
            if (indexes.TryGetValue(full, out int first))
            {
                Error(itemPath, $"the same file as {Entry(nameof(MeshGatewayOptions.Entries), first)}.");
                continue;
            }

            indexes.Add(full, i);
            files.Add(full);
        }

        ConsulConfigReadResult read = ConsulConfigReader.ReadFiles(files);
        foreach (ConsulConfigError error in read.Errors)
        {
            // Each error under the entry it came from, the file named as written (gw/web.hcl:3:7: …).
            if (error.FileName is { } file && indexes.TryGetValue(file, out int index))
            {
                Error(Index(list, index), (error with { FileName = MeshGatewayText.Escape(_options.Entries[index]) }).ToString());
            }
            else
            {
                Error(list, error.ToString());
            }
        }

        return _errors.Count == errorsBefore && read.Catalog is { } catalog && !string.IsNullOrEmpty(_options.Datacenter)
            ? catalog.WithLocation(_options.Datacenter, _options.Partition)
            : null;
    }

    /// <summary>
    /// The mode layers from the entries, into <paramref name="modes"/>: with <see cref="MeshGatewayOptions.Service"/>,
    /// Consul's full precedence from its registration (<see cref="ConsulModeCatalog.TryGetUpstreamInput"/>); without,
    /// proxy-defaults and each target's own service-defaults. Returns false (with errors) when an upstream cannot be found.
    /// </summary>
    private bool ApplyEntries(ConsulModeCatalog catalog, MeshGatewayModeOptions modes)
    {
        string? service = _options.Service;
        string[] servicePath = Path(nameof(MeshGatewayOptions.Service));
        if (service is not null && catalog.FindRegistration(service) is null)
        {
            Error(servicePath, $"no proxy registration for {MeshGatewayText.Quote(service)} in the entries (give the destination service, e.g. \"web\", or the proxy's own name, e.g. \"web-sidecar-proxy\").");
            return false;
        }

        bool found = true;
        for (int i = 0; i < _options.Upstreams.Count; i++)
        {
            string name = _options.Upstreams[i].Name!;
            UpstreamResolutionInput input;
            if (service is null)
            {
                ServiceDefaultsEntry? target = catalog.FindServiceDefaults(name, null, _options.Partition);
                input = new UpstreamResolutionInput(
                    new MeshGatewayModeLayers(
                        ProxyDefaults: catalog.FindProxyDefaults(_options.Partition)?.Mode ?? MeshGatewayMode.Default,
                        TargetServiceDefaults: target?.Mode ?? MeshGatewayMode.Default),
                    new UpstreamTarget(HasExternalSni: !string.IsNullOrEmpty(target?.ExternalSni)));
            }
            else if (!catalog.TryGetUpstreamInput(service, name, out input, out string? problem))
            {
                Error(Child(Index(Path(nameof(MeshGatewayOptions.Upstreams)), i), nameof(UpstreamListenerOptions.Name)), problem + " in the entries.");
                found = false;
                continue;
            }

            // The downstream's layers are the same for every upstream of one proxy.
            MeshGatewayModeLayers layers = input.Layers;
            modes.Proxy = Word(layers.Proxy);
            modes.UpstreamDefaults = Word(layers.UpstreamDefaults);
            modes.ServiceDefaults = Word(layers.ServiceDefaults);
            modes.ProxyDefaults = Word(layers.ProxyDefaults);
            modes.Upstreams[name] = new MeshGatewayUpstreamOptions
            {
                Mode = Word(layers.Upstream),
                Override = Word(layers.UpstreamOverride),
                TargetServiceDefaults = Word(layers.TargetServiceDefaults),
                Datacenter = input.Target.TargetDatacenter,
                Partition = input.Target.TargetPartition,
                Peer = input.Target.Peer,
                ExternalSni = input.Target.HasExternalSni,
                PreparedQuery = input.Target.IsPreparedQuery,
            };
        }

        return found;
    }

    private static string? Word(MeshGatewayMode mode) => mode == MeshGatewayMode.Default ? null : MeshGatewayModeParser.ToConsulString(mode);
}
