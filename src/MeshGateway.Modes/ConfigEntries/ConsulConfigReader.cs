using System.Text;
using System.Text.Json;
using MeshGateway.Modes.ConfigEntries.Json;

namespace MeshGateway.Modes.ConfigEntries;

/// <summary>
/// Reads Consul <c>proxy-defaults</c> and <c>service-defaults</c> config entries and proxy registrations from one
/// JSON document (System.Text.Json, source-generated), in the HTTP API form (<c>MeshGateway: {Mode}</c>) or the
/// agent-configuration form (<c>mesh_gateway: {mode}</c>, snake_case). Every invalid entry is reported, naming the
/// entry and the field; the read does not stop at the first error. The document's shape is in <c>docs/modes.md</c>:
/// <code>
/// { "Datacenter": "dc1", "Partition": "default",
///   "ConfigEntries": [ { "Kind": "proxy-defaults", "Name": "global", "MeshGateway": { "Mode": "local" } } ],
///   "config_entries": { "bootstrap": [ ... ] },
///   "Services": [ { "Name": "web", "Connect": { "SidecarService": { "Proxy": { "Upstreams": [ ... ] } } } } ],
///   "service": { "name": "web", "connect": { "sidecar_service": { "proxy": { "upstreams": [ ... ] } } } } }
/// </code>
/// </summary>
public static class ConsulConfigReader
{
    /// <summary>Reads a document from UTF-8 JSON.</summary>
    /// <param name="utf8Json">The document.</param>
    /// <returns>The catalog, or every error found.</returns>
    public static ConsulConfigReadResult Read(ReadOnlySpan<byte> utf8Json)
    {
        EntriesFileJson? file;
        try
        {
            file = JsonSerializer.Deserialize(utf8Json, ConsulJsonContext.Default.EntriesFileJson);
        }
        catch (JsonException exception)
        {
            // Malformed JSON or a value of the wrong shape: the reader cannot go on, so this is the only error.
            string where = exception.Path ?? "$";
            string line = exception.LineNumber is long l ? $" (line {l + 1}, byte {exception.BytePositionInLine + 1})" : "";
            return Failed(new ConsulConfigError("document", where, "invalid JSON" + line + ": " + FirstSentence(exception.Message)));
        }

        if (file is null)
        {
            return Failed(new ConsulConfigError("document", "", "expected a JSON object, found null"));
        }

        return new Converter().Convert(file);
    }

    /// <summary>Reads a document from JSON text.</summary>
    /// <param name="json">The document.</param>
    /// <returns>The catalog, or every error found.</returns>
    public static ConsulConfigReadResult Read(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return Read(Encoding.UTF8.GetBytes(json));
    }

    private static ConsulConfigReadResult Failed(ConsulConfigError error) => new(null, [error]);

    private static string FirstSentence(string message)
    {
        int end = message.IndexOf(". ", StringComparison.Ordinal);
        return end < 0 ? message : message[..(end + 1)];
    }

    /// <summary>Turns the JSON shapes into the model, collecting every error.</summary>
    private sealed class Converter
    {
        private readonly List<ConsulConfigError> _errors = [];
        private readonly List<ProxyDefaultsEntry> _proxyDefaults = [];
        private readonly List<ServiceDefaultsEntry> _serviceDefaults = [];
        private readonly List<ServiceRegistration> _services = [];

        public ConsulConfigReadResult Convert(EntriesFileJson file)
        {
            ConvertEntries(file.ConfigEntries, "ConfigEntries");
            ConvertEntries(file.ConfigEntriesBlock?.Bootstrap, "config_entries.bootstrap");
            if (file.Services is { } services)
            {
                for (int i = 0; i < services.Count; i++)
                {
                    ConvertService(services[i], $"Services[{i}]");
                }
            }

            if (file.Service is { } single)
            {
                ConvertService(single, "service");
            }

            if (_errors.Count > 0)
            {
                return new ConsulConfigReadResult(null, _errors.ToArray());
            }

            var catalog = new ConsulModeCatalog(file.Datacenter, file.Partition, _proxyDefaults, _serviceDefaults, _services);
            return new ConsulConfigReadResult(catalog, []);
        }

        private void ConvertEntries(List<ConfigEntryJson?>? entries, string listName)
        {
            if (entries is null)
            {
                return;
            }

            for (int i = 0; i < entries.Count; i++)
            {
                string position = $"{listName}[{i}]";
                if (entries[i] is not { } entry)
                {
                    Error(position, "", "config entry is null");
                    continue;
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
                    default:
                        // Other kinds (service-resolver, ...) carry no mesh gateway mode (spec §3.7): ignored.
                        break;
                }
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

        private void ConvertService(ServiceJson? service, string position)
        {
            if (service is null)
            {
                Error(position, "", "service registration is null");
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

                AddRegistration(destination, service, proxy, label, snake ? "proxy." : "Proxy.", snake);
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
            AddRegistration(service.Name, service, sidecar.Proxy, $"service \"{service.Name}\"", prefix, snakeSidecar);
        }

        private void AddRegistration(string name, ServiceJson service, ProxyJson? proxy, string label, string prefix, bool snake)
        {
            MeshGatewayMode proxyMode = proxy is null
                ? MeshGatewayMode.Default
                : ReadMode(proxy.MeshGateway, proxy.MeshGatewaySnake, label, prefix);
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

            _services.Add(new ServiceRegistration(name, NullIfEmpty(service.Namespace), NullIfEmpty(service.Partition), proxyMode, upstreams.ToArray()));
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

        /// <summary>Reads <c>MeshGateway.Mode</c>, or <c>mesh_gateway.mode</c> when the CamelCase block is absent.</summary>
        private MeshGatewayMode ReadMode(MeshGatewayJson? camel, MeshGatewayJson? snake, string label, string prefix)
        {
            bool useSnake = camel is null;
            MeshGatewayJson? block = camel ?? snake;
            string field = prefix + (useSnake ? "mesh_gateway.mode" : "MeshGateway.Mode");
            return block?.Mode is { } value ? ParseModeValue(value, label, field) : MeshGatewayMode.Default;
        }

        /// <summary>proxy-defaults' opaque <c>Config["mesh_gateway"]</c>, honoured when the typed field is empty (spec §3.4 A.2).</summary>
        private MeshGatewayMode ReadOpaqueMode(JsonElement? config, string label, bool snake)
        {
            if (config is not { ValueKind: JsonValueKind.Object } map
                || !map.TryGetProperty("mesh_gateway", out JsonElement block)
                || block.ValueKind != JsonValueKind.Object)
            {
                return MeshGatewayMode.Default;
            }

            string configName = snake ? "config" : "Config";
            foreach (JsonProperty property in block.EnumerateObject())
            {
                // mapstructure matches the key case-insensitively.
                if (string.Equals(property.Name, "mode", StringComparison.OrdinalIgnoreCase))
                {
                    return ParseModeValue(property.Value, label, configName + ".mesh_gateway." + property.Name);
                }
            }

            return MeshGatewayMode.Default;
        }

        private MeshGatewayMode ParseModeValue(JsonElement value, string label, string field)
        {
            switch (value.ValueKind)
            {
                case JsonValueKind.Null:
                    return MeshGatewayMode.Default;
                case JsonValueKind.String:
                    string text = value.GetString()!;
                    if (MeshGatewayModeParser.TryParse(text.AsSpan(), out MeshGatewayMode mode))
                    {
                        return mode;
                    }

                    Error(label, field, MeshGatewayModeParser.InvalidModeMessage(text));
                    return MeshGatewayMode.Default;
                default:
                    Error(label, field, $"expected a string (\"\", \"none\", \"local\" or \"remote\"), found {Describe(value.ValueKind)} {value.GetRawText()}");
                    return MeshGatewayMode.Default;
            }
        }

        private void RequireEmpty(string? value, string label, string field, string name)
        {
            if (!string.IsNullOrEmpty(value))
            {
                Error(label, field, name + " must be empty");
            }
        }

        private void Error(string entry, string field, string message) => _errors.Add(new ConsulConfigError(entry, field, message));

        private static string Quote(string value)
        {
            var builder = new StringBuilder();
            GoQuote.AppendQuoted(builder, value.AsSpan());
            return builder.ToString();
        }

        private static string Describe(JsonValueKind kind) => kind switch
        {
            JsonValueKind.Number => "a number",
            JsonValueKind.True or JsonValueKind.False => "a boolean",
            JsonValueKind.Object => "an object",
            JsonValueKind.Array => "an array",
            _ => "a value",
        };

        private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

        private static string OrDefault(string? value) => string.IsNullOrEmpty(value) ? "default" : value;

        private static bool SameName(string? a, string? b) => OrDefault(a) == OrDefault(b);

        private static bool SamePartition(string? a, string? b) => OrDefault(a) == OrDefault(b);
    }
}
