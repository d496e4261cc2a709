using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using MeshGateway.Modes.ConfigEntries.Json;

namespace MeshGateway.Modes.ConfigEntries;

/// <summary>Service registrations: sidecar services and connect-proxies, and their upstreams.</summary>
internal sealed partial class ConfigDocumentConverter
{
    /// <summary>Service kinds of gateways: registrations Consul accepts that carry no upstreams to resolve.</summary>
    private static readonly HashSet<string> GatewayServiceKinds = ["mesh-gateway", "terminating-gateway", "ingress-gateway", "api-gateway"];

    private void ConvertService(ServiceJson? service, string position)
    {
        if (service is null)
        {
            Error(position, "", "service registration is null");
            return;
        }

        if (service.Kind is not (null or "" or "typical" or "connect-proxy") && !GatewayServiceKinds.Contains(service.Kind))
        {
            // Consul's ServiceKind values (agent/structs/structs.go); anything else is a typo, not a service to skip.
            string label = string.IsNullOrEmpty(service.Name) ? position : $"service \"{service.Name}\"";
            Error(label, "Kind", $"invalid service kind {Quote(service.Kind)}; expected \"\" (a typical service), \"connect-proxy\", \"mesh-gateway\", \"terminating-gateway\", \"ingress-gateway\" or \"api-gateway\"");
            return;
        }

        if (service.Kind == "connect-proxy")
        {
            ProxyJson? proxy = service.Proxy;
            bool snake = proxy is not null && proxy.DestinationServiceName is null && proxy.DestinationServiceNameSnake is not null;
            string destination = proxy?.DestinationServiceName ?? proxy?.DestinationServiceNameSnake ?? "";
            string label = string.IsNullOrEmpty(service.Name) ? position : $"service \"{service.Name}\"";
            if (destination.Length == 0)
            {
                Error(label, snake ? "proxy.destination_service_name" : "Proxy.DestinationServiceName", "missing; a connect-proxy registration names the service it fronts");
                return;
            }

            AddRegistration(destination, NullIfEmpty(service.Name), service, proxy, label, snake ? "proxy." : "Proxy.", snake);
            return;
        }

        ConnectJson? connect = service.Connect;
        ServiceJson? sidecar = connect?.SidecarService ?? connect?.SidecarServiceSnake;
        if (sidecar is null)
        {
            // Not in the mesh (or mesh-native): no proxy whose upstreams could use a gateway.
            return;
        }

        bool snakeSidecar = connect!.SidecarService is null;
        if (string.IsNullOrEmpty(service.Name))
        {
            Error(position, snakeSidecar ? "name" : "Name", "missing; a service registration has a name");
            return;
        }

        string prefix = snakeSidecar ? "connect.sidecar_service.proxy." : "Connect.SidecarService.Proxy.";
        // Consul names a sidecar "<service>-sidecar-proxy" unless the sidecar_service block names it (agent/sidecar_service.go).
        string proxyName = string.IsNullOrEmpty(sidecar.Name) ? service.Name + "-sidecar-proxy" : sidecar.Name;
        AddRegistration(service.Name, proxyName, service, sidecar.Proxy, $"service \"{service.Name}\"", prefix, snakeSidecar);
    }

    private void AddRegistration(string name, string? proxyName, ServiceJson service, ProxyJson? proxy, string label, string prefix, bool snake)
    {
        MeshGatewayMode proxyMode = proxy is null
            ? MeshGatewayMode.Default
            : ReadMode(proxy.MeshGateway, proxy.MeshGatewaySnake, label, prefix);
        if (proxy?.Mode is not (null or "" or "direct" or "transparent"))
        {
            Error(label, prefix + (snake ? "mode" : "Mode"), $"invalid proxy mode {Quote(proxy.Mode)}; expected \"\", \"direct\" or \"transparent\"");
        }

        var upstreams = new List<UpstreamRegistration>();
        if (proxy?.Upstreams is { } items)
        {
            for (int i = 0; i < items.Count; i++)
            {
                string field = prefix + (snake ? "upstreams" : "Upstreams") + $"[{i}]";
                if (ConvertUpstream(items[i], label, field, snake) is { } upstream)
                {
                    upstreams.Add(upstream);
                }
            }
        }

        if (_services.Any(s => s.Service == name))
        {
            Error(label, "", $"duplicate proxy registration for service \"{name}\"");
            return;
        }

        _services.Add(new ServiceRegistration(
            name, NullIfEmpty(service.Namespace), NullIfEmpty(service.Partition), proxyMode, upstreams.ToArray(), proxy?.Mode == "transparent")
        {
            ProxyName = proxyName,
        });
    }

    private UpstreamRegistration? ConvertUpstream(UpstreamJson? upstream, string label, string field, bool snake)
    {
        if (upstream is null)
        {
            Error(label, field, "upstream is null");
            return null;
        }

        string name = upstream.DestinationName ?? upstream.DestinationNameSnake ?? "";
        bool ok = true;
        if (name.Length == 0)
        {
            Error(label, field + (snake ? ".destination_name" : ".DestinationName"), "missing; an upstream names its destination");
            ok = false;
        }

        string type = upstream.DestinationType ?? upstream.DestinationTypeSnake ?? "";
        if (type is not ("" or "service" or "prepared_query"))
        {
            Error(label, field + (snake ? ".destination_type" : ".DestinationType"), $"unknown destination type {Quote(type)}; expected \"service\" or \"prepared_query\"");
            ok = false;
        }

        MeshGatewayMode mode = ReadMode(upstream.MeshGateway, upstream.MeshGatewaySnake, label, field + ".");
        return ok
            ? new UpstreamRegistration(
                name,
                NullIfEmpty(upstream.DestinationNamespace ?? upstream.DestinationNamespaceSnake),
                NullIfEmpty(upstream.DestinationPartition ?? upstream.DestinationPartitionSnake),
                NullIfEmpty(upstream.DestinationPeer ?? upstream.DestinationPeerSnake),
                NullIfEmpty(upstream.Datacenter),
                type == "prepared_query",
                mode)
            : null;
    }
}
