using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using MeshGateway.Modes.ConfigEntries.Json;

namespace MeshGateway.Modes.ConfigEntries;

/// <summary>proxy-defaults and service-defaults entries (Consul <c>agent/structs/config_entry.go</c>).</summary>
internal sealed partial class ConfigDocumentConverter
{
    /// <summary>The other config entry kinds Consul knows (api/config_entry.go): valid, but they set no mode.</summary>
    private static readonly HashSet<string> OtherKinds =
    [
        "service-router", "service-splitter", "service-resolver", "ingress-gateway", "terminating-gateway",
        "service-intentions", "mesh", "exported-services", "sameness-group", "api-gateway", "bound-api-gateway",
        "inline-certificate", "file-system-certificate", "http-route", "tcp-route", "jwt-provider",
        "control-plane-request-limit", "rate-limit-ip",
    ];

    private void ConvertEntries(List<ConfigEntryJson?>? entries, string listName)
    {
        if (entries is null)
        {
            return;
        }

        for (int i = 0; i < entries.Count; i++)
        {
            _path = $"$.{listName}[{i}]";
            ConvertEntry(entries[i], $"{listName}[{i}]");
        }

        _path = "$";
    }

    private void ConvertEntry(ConfigEntryJson? entry, string position)
    {
        if (entry is null)
        {
            Error(position, "", "config entry is null");
            return;
        }

        switch (entry.Kind)
        {
            case null or "":
                Error(position, "Kind", "missing; expected \"proxy-defaults\", \"service-defaults\" or another config entry kind");
                break;
            case "proxy-defaults":
                ConvertProxyDefaults(entry, position);
                break;
            case "service-defaults":
                ConvertServiceDefaults(entry, position);
                break;
            case var kind when OtherKinds.Contains(kind):
                // These kinds carry no mesh gateway mode (agent/structs/config_entry.go): read and ignored.
                break;
            default:
                // Consul's api.MakeConfigEntry rejects it ("invalid config entry kind"); a typo must not go unnoticed.
                Error(position, "Kind", $"invalid config entry kind {Quote(entry.Kind)}; expected \"proxy-defaults\", \"service-defaults\" or another Consul kind (service-resolver, mesh, …)");
                break;
        }
    }

    private void ConvertProxyDefaults(ConfigEntryJson entry, string position)
    {
        const string Global = "global";
        string label = $"proxy-defaults \"{entry.Name ?? Global}\"";
        if (!string.IsNullOrEmpty(entry.Name) && entry.Name != Global)
        {
            // ProxyConfigEntry.Validate's message, with Go %q quoting.
            Error(label, "Name", "invalid name (" + Quote(entry.Name) + "), only \"global\" is supported");
        }

        bool snake = entry.MeshGateway is null && entry.MeshGatewaySnake is not null;
        MeshGatewayMode mode = ReadMode(entry.MeshGateway, entry.MeshGatewaySnake, label, "");
        if (mode == MeshGatewayMode.Default)
        {
            mode = ReadOpaqueMode(entry.Config, label, snake);
        }

        if (_proxyDefaults.Any(p => SamePartition(p.Partition, entry.Partition)))
        {
            Error(label, "", $"duplicate proxy-defaults entry for partition \"{OrDefault(entry.Partition)}\" (also {position})");
            return;
        }

        _proxyDefaults.Add(new ProxyDefaultsEntry(NullIfEmpty(entry.Partition), mode));
    }

    private void ConvertServiceDefaults(ConfigEntryJson entry, string position)
    {
        if (string.IsNullOrEmpty(entry.Name))
        {
            Error(position, "Name", "missing; a service-defaults entry names its service");
            return;
        }

        string label = $"service-defaults \"{entry.Name}\"";
        MeshGatewayMode mode = ReadMode(entry.MeshGateway, entry.MeshGatewaySnake, label, "");

        bool snake = entry.UpstreamConfig is null && entry.UpstreamConfigSnake is not null;
        UpstreamConfigJson? upstreamConfig = entry.UpstreamConfig ?? entry.UpstreamConfigSnake;
        string configField = snake ? "upstream_config." : "UpstreamConfig.";
        UpstreamConfigEntry? defaults = null;
        if (upstreamConfig?.Defaults is { } d)
        {
            string field = configField + (snake ? "defaults" : "Defaults");
            // UpstreamConfig.validate(named: false): the defaults apply to every upstream, so they name none.
            RequireEmpty(d.Name, label, field + (snake ? ".name" : ".Name"), "Name");
            RequireEmpty(d.Namespace, label, field + (snake ? ".namespace" : ".Namespace"), "Namespace");
            RequireEmpty(d.Partition, label, field + (snake ? ".partition" : ".Partition"), "Partition");
            defaults = new UpstreamConfigEntry(null, null, null, null, ReadMode(d.MeshGateway, d.MeshGatewaySnake, label, field + "."));
        }

        var overrides = new List<UpstreamConfigEntry>();
        if (upstreamConfig?.Overrides is { } items)
        {
            for (int i = 0; i < items.Count; i++)
            {
                string field = configField + (snake ? "overrides" : "Overrides") + $"[{i}]";
                if (items[i] is not { } o)
                {
                    Error(label, field, "override is null");
                    continue;
                }

                string nameField = field + (snake ? ".name" : ".Name");
                if (string.IsNullOrEmpty(o.Name))
                {
                    Error(label, nameField, "Name is required");
                }
                else if (o.Name == "*")
                {
                    Error(label, nameField, "Wildcard name is not supported");
                }

                if (o.Namespace == "*")
                {
                    Error(label, field + (snake ? ".namespace" : ".Namespace"), "Wildcard namespace is not supported");
                }

                MeshGatewayMode overrideMode = ReadMode(o.MeshGateway, o.MeshGatewaySnake, label, field + ".");
                if (!string.IsNullOrEmpty(o.Name))
                {
                    overrides.Add(new UpstreamConfigEntry(o.Name, NullIfEmpty(o.Namespace), NullIfEmpty(o.Partition), NullIfEmpty(o.Peer), overrideMode));
                }
            }
        }

        if (_serviceDefaults.Any(s => s.Name == entry.Name && SameName(s.Namespace, entry.Namespace) && SamePartition(s.Partition, entry.Partition)))
        {
            Error(label, "", $"duplicate service-defaults entry (also {position})");
            return;
        }

        _serviceDefaults.Add(new ServiceDefaultsEntry(
            entry.Name,
            NullIfEmpty(entry.Namespace),
            NullIfEmpty(entry.Partition),
            mode,
            NullIfEmpty(entry.ExternalSni ?? entry.ExternalSniSnake),
            defaults,
            overrides.ToArray()));
    }
}
