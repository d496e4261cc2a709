using System.Text.Json.Nodes;

namespace MeshGateway.Modes.Tests.ConfigEntries;

/// <summary>
/// Writes a config document that sets each of the seven layers for service <c>web</c> and upstream <c>db</c>, in
/// either JSON form. A layer set to Default is written as an entry or block without a mode (when
/// <paramref name="emptyBlocks"/>) or left out altogether, so both "absent" and "present but empty" are exercised.
/// </summary>
internal static class DocumentBuilder
{
    public static string Build(MeshGatewayModeLayers layers, bool snake, bool emptyBlocks, string? upstreamDatacenter = "dc2")
    {
        string K(string camel, string snakeName) => snake ? snakeName : camel;

        JsonObject? Gateway(MeshGatewayMode mode) =>
            mode == MeshGatewayMode.Default && !emptyBlocks
                ? null
                : mode == MeshGatewayMode.Default
                    ? new JsonObject()
                    : new JsonObject { [K("Mode", "mode")] = MeshGatewayModeParser.ToConsulString(mode) };

        void Put(JsonObject target, MeshGatewayMode mode)
        {
            if (Gateway(mode) is { } gateway)
            {
                target[K("MeshGateway", "mesh_gateway")] = gateway;
            }
        }

        var entries = new JsonArray();
        if (layers.ProxyDefaults != MeshGatewayMode.Default || emptyBlocks)
        {
            var pd = new JsonObject { [K("Kind", "kind")] = "proxy-defaults", [K("Name", "name")] = "global" };
            Put(pd, layers.ProxyDefaults);
            entries.Add(pd);
        }

        var web = new JsonObject { [K("Kind", "kind")] = "service-defaults", [K("Name", "name")] = "web" };
        Put(web, layers.ServiceDefaults);
        var upstreamConfig = new JsonObject();
        if (layers.UpstreamDefaults != MeshGatewayMode.Default || emptyBlocks)
        {
            var defaults = new JsonObject();
            Put(defaults, layers.UpstreamDefaults);
            upstreamConfig[K("Defaults", "defaults")] = defaults;
        }

        if (layers.UpstreamOverride != MeshGatewayMode.Default || emptyBlocks)
        {
            var item = new JsonObject { [K("Name", "name")] = "db" };
            Put(item, layers.UpstreamOverride);
            upstreamConfig[K("Overrides", "overrides")] = new JsonArray(new JsonObject { [K("Name", "name")] = "other", [K("MeshGateway", "mesh_gateway")] = new JsonObject { ["mode"] = "none" } }, item);
        }

        web[K("UpstreamConfig", "upstream_config")] = upstreamConfig;
        entries.Add(web);

        if (layers.TargetServiceDefaults != MeshGatewayMode.Default || emptyBlocks)
        {
            var db = new JsonObject { [K("Kind", "kind")] = "service-defaults", [K("Name", "name")] = "db" };
            Put(db, layers.TargetServiceDefaults);
            entries.Add(db);
        }

        var upstream = new JsonObject { [K("DestinationName", "destination_name")] = "db" };
        if (upstreamDatacenter is not null)
        {
            upstream[K("Datacenter", "datacenter")] = upstreamDatacenter;
        }

        Put(upstream, layers.Upstream);
        var proxy = new JsonObject { [K("Upstreams", "upstreams")] = new JsonArray(upstream) };
        Put(proxy, layers.Proxy);
        var service = new JsonObject
        {
            [K("Name", "name")] = "web",
            [K("Port", "port")] = 8080,
            [K("Connect", "connect")] = new JsonObject
            {
                [K("SidecarService", "sidecar_service")] = new JsonObject { [K("Proxy", "proxy")] = proxy },
            },
        };

        var document = new JsonObject { ["Datacenter"] = "dc1" };
        if (snake)
        {
            document["config_entries"] = new JsonObject { ["bootstrap"] = entries };
            document["service"] = service;
        }
        else
        {
            document["ConfigEntries"] = entries;
            document["Services"] = new JsonArray(service);
        }

        return document.ToJsonString();
    }
}
