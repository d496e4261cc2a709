using System.Net;
using MeshGateway.Naming;

namespace MeshGateway.Forwarding;

/// <summary>The mesh gateway's sections (spec §4.3): local services and remote gateways, then the route table.</summary>
public sealed partial class MeshGatewayComposer
{
    private readonly List<(int Index, string? Name, string? Sni, string? Namespace, List<UpstreamEndpoint> Endpoints)> _services = [];
    private readonly List<(string Datacenter, string? Partition, List<UpstreamEndpoint> Endpoints)> _remotes = [];

    private void CheckServices()
    {
        string[] list = Path(nameof(MeshGatewayOptions.Services));
        var seen = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (int i = 0; i < _options.Services.Count; i++)
        {
            MeshGatewayServiceOptions service = _options.Services[i];
            string[] path = Index(list, i);
            string[] namePath = Child(path, nameof(MeshGatewayServiceOptions.Name));
            string[] sniPath = Child(path, nameof(MeshGatewayServiceOptions.Sni));
            string[] nsPath = Child(path, nameof(MeshGatewayServiceOptions.Namespace));
            if (service is null || IsReported(path))
            {
                ReportNull(service, path);
                continue;
            }

            bool hasName = service.Name is not null || IsReported(namePath);
            bool hasSni = service.Sni is not null || IsReported(sniPath);
            if (hasName == hasSni)
            {
                Error(path, "give exactly one of \"name\" (served as NAME.<namespace>.<datacenter>.internal.<trust domain>) or \"sni\".");
            }

            CheckName(service.Name, namePath, MeshGatewayNames.LabelProblem, "service");
            CheckName(service.Sni, sniPath, MeshGatewayNames.NameProblem, "server name");
            CheckName(service.Namespace, nsPath, MeshGatewayNames.LabelProblem, "namespace");
            if (hasName != hasSni)
            {
                string? route = service.Name is { } name
                    ? $"name {name}.{(string.IsNullOrEmpty(service.Namespace) ? "default" : service.Namespace)}"
                    : service.Sni is { } sni ? $"sni {sni.TrimEnd('.')}" : null;
                Unique(seen, route, hasName ? namePath : sniPath, Entry(nameof(MeshGatewayOptions.Services), i));
            }

            List<UpstreamEndpoint> endpoints = Endpoints(service.Endpoints, Child(path, nameof(MeshGatewayServiceOptions.Endpoints)), required: true);
            _services.Add((i, service.Name, service.Sni, string.IsNullOrEmpty(service.Namespace) ? null : service.Namespace, endpoints));
        }
    }

    private void CheckRemoteGateways()
    {
        string[] list = Path(nameof(MeshGatewayOptions.RemoteGateways));
        var seen = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (int i = 0; i < _options.RemoteGateways.Count; i++)
        {
            MeshGatewayRemoteGatewayOptions remote = _options.RemoteGateways[i];
            string[] path = Index(list, i);
            if (remote is null || IsReported(path))
            {
                ReportNull(remote, path);
                continue;
            }

            string[] dcPath = Child(path, nameof(MeshGatewayRemoteGatewayOptions.Datacenter));
            string? datacenter = Required(remote.Datacenter, dcPath);
            CheckName(datacenter, dcPath, MeshGatewayNames.DatacenterProblem, "datacenter");
            CheckName(remote.Partition, Child(path, nameof(MeshGatewayRemoteGatewayOptions.Partition)), MeshGatewayNames.LabelProblem, "partition");
            string partition = string.IsNullOrEmpty(remote.Partition) ? "default" : remote.Partition;
            Unique(seen, datacenter is null ? null : $"{datacenter}/{partition}", dcPath, Entry(nameof(MeshGatewayOptions.RemoteGateways), i));
            List<UpstreamEndpoint> endpoints = Endpoints(remote.Endpoints, Child(path, nameof(MeshGatewayRemoteGatewayOptions.Endpoints)), required: true);
            _remotes.Add((datacenter ?? string.Empty, string.IsNullOrEmpty(remote.Partition) ? null : remote.Partition, endpoints));
        }
    }

    private MeshGatewayComposition? ComposeGateway(IUpstreamPreambleWriter? preamble, List<IPEndPoint> listeners)
    {
        if (_options.TrustDomain is null)
        {
            // Only with Consul (checked above): no name can be built before the agent gives the trust domain, so the
            // listeners route nothing until whoever follows the agent (meshgw run) gives them its routes.
            return new MeshGatewayComposition(
                _options,
                [.. listeners.Select(l => new ListenerPlan("mesh gateway (routes from Consul once its trust domain is known)", l, NoRouteResolver.Instance, sniffsClientHello: true))],
                [],
                _warnings);
        }

        var gateway = new MeshGatewayRouterBuilder(_options.Datacenter!, _options.Partition, _options.TrustDomain!).UsePreamble(preamble);
        foreach ((_, string? name, string? sni, string? ns, List<UpstreamEndpoint> endpoints) in _services)
        {
            _ = name is not null ? gateway.AddLocalService(name, endpoints, ns) : gateway.AddServiceSni(sni!, endpoints);
        }

        foreach ((string datacenter, string? partition, List<UpstreamEndpoint> endpoints) in _remotes)
        {
            gateway.AddRemoteGateway(datacenter, endpoints, partition);
        }

        if (!gateway.TryBuildListeners(listeners, out IReadOnlyList<ListenerPlan>? plans, out IReadOnlyList<string> problems))
        {
            // What the checks above cannot see (a service SNI equal to a remote gateway's own name): the table's words.
            foreach (string problem in problems)
            {
                Error(Path(nameof(MeshGatewayOptions.Services)), problem);
            }

            return null;
        }

        return new MeshGatewayComposition(_options, plans!, gateway.DescribeRoutes(), _warnings);
    }
}
