using System.Globalization;
using System.Net;
using System.Text.Json;
using MeshGateway.Forwarding;
using MeshGateway.Modes;

namespace MeshGateway.Cli.Commands.Run;

/// <summary>
/// Reads a <c>meshgw run</c> JSON configuration (comments and trailing commas allowed) and checks all of it,
/// reporting every problem with its JSON path (<c>$.listeners[1]: …</c>) rather than stopping at the first.
/// Unknown properties are errors too: a misspelt key must not be silently ignored.
/// </summary>
internal sealed class RunConfigReader
{
    private static readonly JsonDocumentOptions DocumentOptions = new() { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip };
    private readonly List<string> _errors;
    private readonly List<string> _warnings = [];

    private RunConfigReader(List<string> errors) => _errors = errors;

    /// <summary>Parses <paramref name="json"/>; null when anything is wrong (every problem is in <paramref name="errors"/>).</summary>
    public static RunConfig? Read(string json, List<string> errors)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, DocumentOptions);
        }
        catch (JsonException e)
        {
            errors.Add($"$: not valid JSON: {e.Message}");
            return null;
        }

        using (document)
        {
            int before = errors.Count;
            RunConfig? config = new RunConfigReader(errors).ReadRoot(document.RootElement);
            return errors.Count == before ? config : null;
        }
    }

    private RunConfig? ReadRoot(JsonElement root)
    {
        if (!Expect(root, JsonValueKind.Object, "$"))
        {
            return null;
        }

        Known(root, "$", "mode", "datacenter", "partition", "trustDomain", "listeners", "services", "remoteGateways", "defaultMode", "upstreams", "timeouts", "limits", "proxyProtocol", "metrics");
        RunMode mode = ReadEnum(root, "mode", "$.mode", RunMode.MeshGateway, ("mesh-gateway", RunMode.MeshGateway), ("upstream-listener", RunMode.UpstreamListener));
        string datacenter = RequiredString(root, "datacenter", "$.datacenter");
        string? partition = OptionalString(root, "partition", "$.partition");
        string trustDomain = RequiredString(root, "trustDomain", "$.trustDomain");
        CheckName(NameChecks.Datacenter, "$.datacenter", "datacenter", datacenter);
        CheckName(NameChecks.OptionalLabel, "$.partition", "partition", partition);
        CheckName(NameChecks.Name, "$.trustDomain", "trust domain", trustDomain);
        var listeners = new List<IPEndPoint>();
        ForEach(root, "listeners", "$.listeners", (item, path) =>
        {
            if (ReadEndPoint(item, path) is { } endPoint)
            {
                listeners.Add(endPoint);
            }
        });
        if (mode == RunMode.MeshGateway && listeners.Count == 0 && !HasError("$.listeners"))
        {
            _errors.Add("$.listeners: a mesh gateway needs at least one listener address.");
        }

        var services = new List<ServiceConfig>();
        var serviceKeys = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        ForEach(root, "services", "$.services", (item, path) =>
        {
            if (!Expect(item, JsonValueKind.Object, path))
            {
                return;
            }

            Known(item, path, "name", "sni", "namespace", "endpoints");
            string? name = OptionalString(item, "name", $"{path}.name");
            string? sni = OptionalString(item, "sni", $"{path}.sni");
            if ((name is null) == (sni is null))
            {
                _errors.Add($"{path}: give exactly one of \"name\" (served as NAME.<namespace>.<datacenter>.internal.<trust domain>) or \"sni\".");
            }

            string? ns = OptionalString(item, "namespace", $"{path}.namespace");
            CheckName(NameChecks.OptionalLabel, $"{path}.name", "service", name);
            CheckName(NameChecks.Name, $"{path}.sni", "server name", sni);
            CheckName(NameChecks.OptionalLabel, $"{path}.namespace", "namespace", ns);
            if ((name is null) != (sni is null))
            {
                Unique(serviceKeys, name is null ? $"sni {sni}" : $"name {name}.{(string.IsNullOrEmpty(ns) ? "default" : ns)}", name is null ? $"{path}.sni" : $"{path}.name");
            }

            services.Add(new ServiceConfig(name, sni, ns, ReadEndpoints(item, "endpoints", $"{path}.endpoints", required: true)));
        });
        var remotes = new List<RemoteGatewayConfig>();
        var remoteKeys = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        ForEach(root, "remoteGateways", "$.remoteGateways", (item, path) =>
        {
            if (!Expect(item, JsonValueKind.Object, path))
            {
                return;
            }

            Known(item, path, "datacenter", "partition", "endpoints");
            string remoteDatacenter = RequiredString(item, "datacenter", $"{path}.datacenter");
            string? remotePartition = OptionalString(item, "partition", $"{path}.partition");
            CheckName(NameChecks.Datacenter, $"{path}.datacenter", "datacenter", remoteDatacenter);
            CheckName(NameChecks.OptionalLabel, $"{path}.partition", "partition", remotePartition);
            Unique(remoteKeys, $"{remoteDatacenter}/{(string.IsNullOrEmpty(remotePartition) ? "default" : remotePartition)}", $"{path}.datacenter");
            remotes.Add(new RemoteGatewayConfig(remoteDatacenter, remotePartition, ReadEndpoints(item, "endpoints", $"{path}.endpoints", required: true)));
        });
        MeshGatewayMode defaultMode = ReadMode(root, "defaultMode", "$.defaultMode");
        var upstreams = new List<UpstreamConfig>();
        ForEach(root, "upstreams", "$.upstreams", (item, path) =>
        {
            if (!Expect(item, JsonValueKind.Object, path))
            {
                return;
            }

            Known(item, path, "name", "listen", "targetDatacenter", "mode", "instances", "localGateways", "remoteGateways");
            string name = RequiredString(item, "name", $"{path}.name");
            IPEndPoint? listen = item.TryGetProperty("listen", out JsonElement l) ? ReadEndPoint(l, $"{path}.listen") : Missing<IPEndPoint>($"{path}.listen");
            string targetDatacenter = RequiredString(item, "targetDatacenter", $"{path}.targetDatacenter");
            CheckName(NameChecks.Datacenter, $"{path}.targetDatacenter", "datacenter", targetDatacenter);
            upstreams.Add(new UpstreamConfig(
                name,
                listen ?? new IPEndPoint(IPAddress.Loopback, 0),
                targetDatacenter,
                ReadMode(item, "mode", $"{path}.mode"),
                ReadEndpoints(item, "instances", $"{path}.instances", required: false),
                ReadEndpoints(item, "localGateways", $"{path}.localGateways", required: false),
                ReadEndpoints(item, "remoteGateways", $"{path}.remoteGateways", required: false)));
        });
        if (mode == RunMode.UpstreamListener && upstreams.Count == 0 && !HasError("$.upstreams"))
        {
            _errors.Add("$.upstreams: an upstream listener needs at least one upstream.");
        }

        var forwarder = new ForwarderOptions();
        ReadTimeouts(root, forwarder);
        ReadLimits(root, forwarder);
        ProxyProtocolVersion proxyProtocol = ReadEnum(root, "proxyProtocol", "$.proxyProtocol", ProxyProtocolVersion.None, ("none", ProxyProtocolVersion.None), ("v1", ProxyProtocolVersion.V1), ("v2", ProxyProtocolVersion.V2));
        TimeSpan? metrics = null;
        if (root.TryGetProperty("metrics", out JsonElement m) && Expect(m, JsonValueKind.Object, "$.metrics"))
        {
            Known(m, "$.metrics", "printInterval");
            metrics = m.TryGetProperty("printInterval", out JsonElement p) ? ReadDuration(p, "$.metrics.printInterval") : null;
        }

        return new RunConfig(mode, datacenter, partition, trustDomain, listeners, services, remotes, defaultMode, upstreams, forwarder, proxyProtocol, metrics)
        {
            Warnings = _warnings,
        };
    }

    private void ReadTimeouts(JsonElement root, ForwarderOptions forwarder)
    {
        if (!root.TryGetProperty("timeouts", out JsonElement t) || !Expect(t, JsonValueKind.Object, "$.timeouts"))
        {
            return;
        }

        Known(t, "$.timeouts", "sniff", "route", "connect", "idle", "halfClosed", "drain");
        forwarder.SniffTimeout = Duration(t, "sniff", forwarder.SniffTimeout);
        forwarder.RouteTimeout = Duration(t, "route", forwarder.RouteTimeout);
        forwarder.ConnectTimeout = Duration(t, "connect", forwarder.ConnectTimeout);
        forwarder.IdleTimeout = Duration(t, "idle", forwarder.IdleTimeout);
        forwarder.HalfClosedTimeout = Duration(t, "halfClosed", forwarder.HalfClosedTimeout);
        forwarder.DrainTimeout = Duration(t, "drain", forwarder.DrainTimeout);

        TimeSpan Duration(JsonElement parent, string name, TimeSpan fallback) =>
            parent.TryGetProperty(name, out JsonElement value) ? ReadDuration(value, $"$.timeouts.{name}") ?? fallback : fallback;
    }

    private void ReadLimits(JsonElement root, ForwarderOptions forwarder)
    {
        if (!root.TryGetProperty("limits", out JsonElement l) || !Expect(l, JsonValueKind.Object, "$.limits"))
        {
            return;
        }

        Known(l, "$.limits", "maxConnections", "maxClientHelloBytes", "maxConnectAttempts", "bufferSize");
        forwarder.MaxConnections = Int(l, "maxConnections", forwarder.MaxConnections, 1, int.MaxValue);
        forwarder.MaxClientHelloBytes = Int(l, "maxClientHelloBytes", forwarder.MaxClientHelloBytes, 256, ForwarderOptions.MaxClientHelloBytesLimit);
        forwarder.MaxConnectAttempts = Int(l, "maxConnectAttempts", forwarder.MaxConnectAttempts, 1, 16);
        forwarder.BufferSize = Int(l, "bufferSize", forwarder.BufferSize, 1024, 1024 * 1024);

        int Int(JsonElement parent, string name, int fallback, int min, int max)
        {
            if (!parent.TryGetProperty(name, out JsonElement value))
            {
                return fallback;
            }

            if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out int number) || number < min || number > max)
            {
                _errors.Add($"$.limits.{name}: expected an integer from {min} to {max}, got {value.GetRawText()}.");
                return fallback;
            }

            return number;
        }
    }

    private TimeSpan? ReadDuration(JsonElement value, string path)
    {
        // The library's one duration syntax ("500ms", "10s", "5m", "1h", "00:00:10"), bounded by ForwarderOptions.MaxTimeout.
        string? text = value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        if (ForwarderDuration.TryParse(text, out TimeSpan duration, out string? problem))
        {
            return duration;
        }

        _errors.Add(text is null || problem!.StartsWith("is not", StringComparison.Ordinal)
                ? $"{path}: expected a positive duration such as \"500ms\", \"10s\", \"5m\", \"1h\" or \"00:00:10\" (at most \"1193h\"), got {value.GetRawText()}."
                : $"{path}: {value.GetRawText()} {problem}.");
        return null;
    }

    /// <summary>
    /// Consul's words (<c>""</c> or an absent key is the default mode); <c>"default"</c>, which Consul rejects, is
    /// still read as the default mode, with a warning.
    /// </summary>
    private MeshGatewayMode ReadMode(JsonElement parent, string name, string path)
    {
        if (parent.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String && value.ValueEquals("default"))
        {
            _warnings.Add($"{path}: \"default\" is not a Consul mode word; write \"\" (or leave the key out) for the default mode.");
            return MeshGatewayMode.Default;
        }

        return ReadEnum(parent, name, path, MeshGatewayMode.Default, ("", MeshGatewayMode.Default), ("none", MeshGatewayMode.None), ("local", MeshGatewayMode.Local), ("remote", MeshGatewayMode.Remote));
    }

    private T ReadEnum<T>(JsonElement parent, string name, string path, T fallback, params (string Text, T Value)[] values)
    {
        if (!parent.TryGetProperty(name, out JsonElement value))
        {
            return fallback;
        }

        string? text = value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        foreach ((string Text, T Value) candidate in values)
        {
            if (text == candidate.Text)
            {
                return candidate.Value;
            }
        }

        _errors.Add($"{path}: expected one of {string.Join(", ", values.Select(v => $"\"{v.Text}\""))}, got {value.GetRawText()}.");
        return fallback;
    }

    private IPEndPoint? ReadEndPoint(JsonElement value, string path)
    {
        string? text = value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        if (ListenAddress.TryParse(text, out IPEndPoint? endPoint, out string? problem))
        {
            return endPoint;
        }

        _errors.Add(text is null
            ? $"{path}: expected \"IP:PORT\" as a string ({ListenAddress.Expected}), got {value.GetRawText()}."
            : $"{path}: expected \"IP:PORT\", got {value.GetRawText()}: {problem}");
        return null;
    }

    private List<UpstreamEndpoint> ReadEndpoints(JsonElement parent, string name, string path, bool required)
    {
        var endpoints = new List<UpstreamEndpoint>();
        if (!parent.TryGetProperty(name, out _))
        {
            if (required)
            {
                _errors.Add($"{path}: required, a list of \"HOST:PORT\".");
            }

            return endpoints;
        }

        ForEach(parent, name, path, (item, itemPath) =>
        {
            if (item.ValueKind == JsonValueKind.String && UpstreamEndpoint.TryParse(item.GetString(), out UpstreamEndpoint? endpoint))
            {
                endpoints.Add(endpoint!);
            }
            else
            {
                _errors.Add($"{itemPath}: expected \"HOST:PORT\", got {item.GetRawText()}.");
            }
        });
        if (required && endpoints.Count == 0 && !_errors.Exists(e => e.StartsWith(path, StringComparison.Ordinal)))
        {
            _errors.Add($"{path}: needs at least one endpoint.");
        }

        return endpoints;
    }

    private void ForEach(JsonElement parent, string name, string path, Action<JsonElement, string> read)
    {
        if (!parent.TryGetProperty(name, out JsonElement array) || !Expect(array, JsonValueKind.Array, path))
        {
            return;
        }

        int index = 0;
        foreach (JsonElement item in array.EnumerateArray())
        {
            read(item, $"{path}[{index++}]");
        }
    }

    private string RequiredString(JsonElement parent, string name, string path) =>
        OptionalString(parent, name, path) ?? Missing<string>(path) ?? string.Empty;

    private string? OptionalString(JsonElement parent, string name, string path)
    {
        if (!parent.TryGetProperty(name, out JsonElement value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(value.GetString()))
        {
            _errors.Add($"{path}: expected a non-empty string, got {value.GetRawText()}.");
            return null;
        }

        return value.GetString();
    }

    private T? Missing<T>(string path)
        where T : class
    {
        if (!HasError(path))
        {
            _errors.Add($"{path}: required.");
        }

        return null;
    }

    private bool Expect(JsonElement value, JsonValueKind kind, string path)
    {
        if (value.ValueKind == kind)
        {
            return true;
        }

        _errors.Add($"{path}: expected {(kind == JsonValueKind.Object ? "an object" : "an array")}, got {value.ValueKind.ToString().ToLowerInvariant()}.");
        return false;
    }

    private void Known(JsonElement value, string path, params string[] names)
    {
        foreach (JsonProperty property in value.EnumerateObject())
        {
            if (Array.IndexOf(names, property.Name) < 0)
            {
                _errors.Add($"{path}.{property.Name}: unknown property (expected one of {string.Join(", ", names)}).");
            }
        }
    }

    private bool HasError(string path) => _errors.Exists(e => e.StartsWith(path + ":", StringComparison.Ordinal));

    /// <summary>
    /// Checks a name that goes into an SNI under its own JSON path; a value already reported (missing, not a
    /// string) is not checked again.
    /// </summary>
    private void CheckName(Func<List<string>, string?, string, string, bool> check, string path, string what, string? value)
    {
        if (!string.IsNullOrEmpty(value) && !HasError(path))
        {
            check(_errors, path, what, value);
        }
    }

    /// <summary>
    /// Reports a second entry for the same route (names compare case-insensitively, as they route) under its own
    /// path, naming the first; the route table would otherwise report the collision without a path.
    /// </summary>
    private void Unique(Dictionary<string, string> seen, string key, string path)
    {
        if (HasError(path))
        {
            return;
        }

        if (seen.TryGetValue(key, out string? first))
        {
            _errors.Add($"{path}: the same route as {first} (names compare case-insensitively).");
        }
        else
        {
            seen.Add(key, path[..path.LastIndexOf('.')]);
        }
    }
}
