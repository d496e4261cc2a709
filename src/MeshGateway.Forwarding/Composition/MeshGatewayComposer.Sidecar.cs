using System.Net;

namespace MeshGateway.Forwarding;

/// <summary>The upstream listeners' section (spec §3.5): each upstream checked, then resolved by the Modes resolver.</summary>
public sealed partial class MeshGatewayComposer
{
    private readonly List<(string? Mode, SidecarUpstreamEndpoints Endpoints)> _upstreams = [];

    private List<IPEndPoint?> CheckUpstreams()
    {
        string[] list = Path(nameof(MeshGatewayOptions.Upstreams));
        var listens = new List<IPEndPoint?>();
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i < _options.Upstreams.Count; i++)
        {
            UpstreamListenerOptions upstream = _options.Upstreams[i];
            string[] path = Index(list, i);
            if (upstream is null || IsReported(path))
            {
                ReportNull(upstream, path);
                listens.Add(null);
                _upstreams.Add((null, new SidecarUpstreamEndpoints([], [], [])));
                continue;
            }

            string[] namePath = Child(path, nameof(UpstreamListenerOptions.Name));
            if (Required(upstream.Name, namePath) is { } name && !IsReported(namePath) && seen.TryGetValue(name, out string? first))
            {
                Error(namePath, $"the same upstream as {first}.");
            }
            else if (upstream.Name is not null)
            {
                seen.TryAdd(upstream.Name, Entry(nameof(MeshGatewayOptions.Upstreams), i));
            }

            string[] listenPath = Child(path, nameof(UpstreamListenerOptions.Listen));
            listens.Add(Required(upstream.Listen, listenPath) is null ? null : ListenAddress(upstream.Listen, listenPath));
            string[] targetPath = Child(path, nameof(UpstreamListenerOptions.TargetDatacenter));
            // With a service, the registration says where each upstream is (the local datacenter when it does not).
            string? target = _options.Service is null ? Required(upstream.TargetDatacenter, targetPath) : upstream.TargetDatacenter;
            CheckName(target, targetPath, MeshGatewayNames.DatacenterProblem, "datacenter");
            string? mode = CheckMode(upstream.Mode, Child(path, nameof(UpstreamListenerOptions.Mode)));
            var endpoints = new SidecarUpstreamEndpoints(
                Endpoints(upstream.Instances, Child(path, nameof(UpstreamListenerOptions.Instances)), required: false),
                Endpoints(upstream.LocalGateways, Child(path, nameof(UpstreamListenerOptions.LocalGateways)), required: false),
                Endpoints(upstream.RemoteGateways, Child(path, nameof(UpstreamListenerOptions.RemoteGateways)), required: false));
            _upstreams.Add((mode, endpoints));
        }

        if (_options.Mode == MeshGatewayRole.UpstreamListener && _options.Upstreams.Count == 0 && !IsReported(list))
        {
            Error(list, "an upstream listener needs at least one upstream.");
        }

        return listens;
    }

    private MeshGatewayComposition? ComposeSidecar(
        IUpstreamPreambleWriter? preamble, string? defaultMode, List<IPEndPoint?> listens, Modes.ConfigEntries.ConsulModeCatalog? entries)
    {
        var modes = new Modes.MeshGatewayModeOptions { Datacenter = _options.Datacenter, Partition = string.IsNullOrEmpty(_options.Partition) ? null : _options.Partition };
        if (entries is not null && !ApplyEntries(entries, modes))
        {
            return null;
        }

        // The file's defaultMode is the proxy-defaults layer: it wins over the entries' proxy-defaults when given.
        modes.ProxyDefaults = defaultMode ?? modes.ProxyDefaults;
        var sidecar = new SidecarBuilder(modes).UsePreamble(preamble);
        for (int i = 0; i < _options.Upstreams.Count; i++)
        {
            UpstreamListenerOptions upstream = _options.Upstreams[i];
            sidecar.AddUpstream(upstream.Name!, listens[i]!, _upstreams[i].Endpoints, upstream.TargetDatacenter, _upstreams[i].Mode);
        }

        if (!sidecar.TryBuild(out IReadOnlyList<ListenerPlan>? plans, out List<(string? Upstream, string Message)> problems))
        {
            foreach ((string? upstream, string message) in problems)
            {
                int index = upstream is null ? -1 : FindUpstream(upstream);
                Error(index < 0 ? Path(nameof(MeshGatewayOptions.Upstreams)) : Index(Path(nameof(MeshGatewayOptions.Upstreams)), index), message);
            }

            return null;
        }

        return new MeshGatewayComposition(_options, plans!, [], _warnings);
    }

    private int FindUpstream(string name)
    {
        for (int i = 0; i < _options.Upstreams.Count; i++)
        {
            if (string.Equals(_options.Upstreams[i].Name, name, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }
}
