using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace MeshGateway.Forwarding.Hosting;

/// <summary>
/// The reader behind <see cref="MeshGatewayConfiguration"/>: one method per options type, each listing the keys it
/// knows (a new section is one more key and one more method). Paths use the options' property names; a key the
/// options do not have is reported as written.
/// </summary>
internal sealed class MeshGatewayBinder
{
    private static readonly string[] RootKeys =
    [
        nameof(MeshGatewayOptions.Mode), nameof(MeshGatewayOptions.Datacenter), nameof(MeshGatewayOptions.Partition),
        nameof(MeshGatewayOptions.TrustDomain), nameof(MeshGatewayOptions.Listeners), nameof(MeshGatewayOptions.Services),
        nameof(MeshGatewayOptions.RemoteGateways), nameof(MeshGatewayOptions.DefaultMode), nameof(MeshGatewayOptions.Upstreams),
        nameof(MeshGatewayOptions.Timeouts), nameof(MeshGatewayOptions.Limits), nameof(MeshGatewayOptions.ProxyProtocol),
        nameof(MeshGatewayOptions.Metrics), nameof(MeshGatewayOptions.Entries), nameof(MeshGatewayOptions.Service),
        nameof(MeshGatewayOptions.Consul),
    ];

    private static readonly string[] ConsulKeys =
    [
        nameof(MeshGatewayConsulOptions.Address), nameof(MeshGatewayConsulOptions.Token), nameof(MeshGatewayConsulOptions.TokenFile),
        nameof(MeshGatewayConsulOptions.CaFile), nameof(MeshGatewayConsulOptions.ClientCertFile), nameof(MeshGatewayConsulOptions.ClientKeyFile),
        nameof(MeshGatewayConsulOptions.TlsServerName), nameof(MeshGatewayConsulOptions.Namespace), nameof(MeshGatewayConsulOptions.Register),
    ];

    private static readonly string[] RegisterKeys =
    [
        nameof(MeshGatewayConsulRegisterOptions.Enabled), nameof(MeshGatewayConsulRegisterOptions.Name),
        nameof(MeshGatewayConsulRegisterOptions.Address), nameof(MeshGatewayConsulRegisterOptions.WanAddress),
    ];

    private static readonly string[] ServiceKeys =
        [nameof(MeshGatewayServiceOptions.Name), nameof(MeshGatewayServiceOptions.Sni), nameof(MeshGatewayServiceOptions.Namespace), nameof(MeshGatewayServiceOptions.Endpoints)];

    private static readonly string[] RemoteKeys =
        [nameof(MeshGatewayRemoteGatewayOptions.Datacenter), nameof(MeshGatewayRemoteGatewayOptions.Partition), nameof(MeshGatewayRemoteGatewayOptions.Endpoints)];

    private static readonly string[] UpstreamKeys =
    [
        nameof(UpstreamListenerOptions.Name), nameof(UpstreamListenerOptions.Listen), nameof(UpstreamListenerOptions.TargetDatacenter),
        nameof(UpstreamListenerOptions.Mode), nameof(UpstreamListenerOptions.Instances), nameof(UpstreamListenerOptions.LocalGateways),
        nameof(UpstreamListenerOptions.RemoteGateways),
    ];

    private static readonly string[] TimeoutKeys =
    [
        nameof(MeshGatewayTimeoutOptions.Sniff), nameof(MeshGatewayTimeoutOptions.Route), nameof(MeshGatewayTimeoutOptions.Connect),
        nameof(MeshGatewayTimeoutOptions.Idle), nameof(MeshGatewayTimeoutOptions.HalfClosed), nameof(MeshGatewayTimeoutOptions.Drain),
    ];

    private static readonly string[] LimitKeys =
    [
        nameof(MeshGatewayLimitOptions.MaxConnections), nameof(MeshGatewayLimitOptions.MaxClientHelloBytes),
        nameof(MeshGatewayLimitOptions.MaxConnectAttempts), nameof(MeshGatewayLimitOptions.BufferSize),
    ];

    private static readonly string[] MetricsKeys = [nameof(MeshGatewayMetricsOptions.PrintInterval)];

    private static readonly MeshGatewayTimeoutOptions DefaultTimeouts = new();
    private static readonly MeshGatewayLimitOptions DefaultLimits = new();

    public List<MeshGatewayOptionsProblem> Errors { get; } = [];

    public MeshGatewayOptions Bind(IConfiguration root, string? baseDirectory)
    {
        string[] path = [];
        Known(root, path, RootKeys);
        return new MeshGatewayOptions
        {
            Mode = Enum(root, path, nameof(MeshGatewayOptions.Mode), MeshGatewayRole.MeshGateway),
            Datacenter = String(root, path, nameof(MeshGatewayOptions.Datacenter)),
            Partition = String(root, path, nameof(MeshGatewayOptions.Partition)),
            TrustDomain = String(root, path, nameof(MeshGatewayOptions.TrustDomain)),
            Listeners = Strings(root, path, nameof(MeshGatewayOptions.Listeners)),
            Services = Objects(root, path, nameof(MeshGatewayOptions.Services), ServiceKeys, (s, p) => new MeshGatewayServiceOptions
            {
                Name = String(s, p, nameof(MeshGatewayServiceOptions.Name)),
                Sni = String(s, p, nameof(MeshGatewayServiceOptions.Sni)),
                Namespace = String(s, p, nameof(MeshGatewayServiceOptions.Namespace)),
                Endpoints = Strings(s, p, nameof(MeshGatewayServiceOptions.Endpoints)),
            }),
            RemoteGateways = Objects(root, path, nameof(MeshGatewayOptions.RemoteGateways), RemoteKeys, (s, p) => new MeshGatewayRemoteGatewayOptions
            {
                Datacenter = String(s, p, nameof(MeshGatewayRemoteGatewayOptions.Datacenter)),
                Partition = String(s, p, nameof(MeshGatewayRemoteGatewayOptions.Partition)),
                Endpoints = Strings(s, p, nameof(MeshGatewayRemoteGatewayOptions.Endpoints)),
            }),
            DefaultMode = String(root, path, nameof(MeshGatewayOptions.DefaultMode), emptyAllowed: true),
            Upstreams = Objects(root, path, nameof(MeshGatewayOptions.Upstreams), UpstreamKeys, (s, p) => new UpstreamListenerOptions
            {
                Name = String(s, p, nameof(UpstreamListenerOptions.Name)),
                Listen = String(s, p, nameof(UpstreamListenerOptions.Listen)),
                TargetDatacenter = String(s, p, nameof(UpstreamListenerOptions.TargetDatacenter)),
                Mode = String(s, p, nameof(UpstreamListenerOptions.Mode), emptyAllowed: true),
                Instances = Strings(s, p, nameof(UpstreamListenerOptions.Instances)),
                LocalGateways = Strings(s, p, nameof(UpstreamListenerOptions.LocalGateways)),
                RemoteGateways = Strings(s, p, nameof(UpstreamListenerOptions.RemoteGateways)),
            }),
            Timeouts = Object(root, path, nameof(MeshGatewayOptions.Timeouts), TimeoutKeys, (s, p) => new MeshGatewayTimeoutOptions
            {
                Sniff = Duration(s, p, nameof(MeshGatewayTimeoutOptions.Sniff), DefaultTimeouts.Sniff),
                Route = Duration(s, p, nameof(MeshGatewayTimeoutOptions.Route), DefaultTimeouts.Route),
                Connect = Duration(s, p, nameof(MeshGatewayTimeoutOptions.Connect), DefaultTimeouts.Connect),
                Idle = Duration(s, p, nameof(MeshGatewayTimeoutOptions.Idle), DefaultTimeouts.Idle),
                HalfClosed = Duration(s, p, nameof(MeshGatewayTimeoutOptions.HalfClosed), DefaultTimeouts.HalfClosed),
                Drain = Duration(s, p, nameof(MeshGatewayTimeoutOptions.Drain), DefaultTimeouts.Drain, allowZero: true),
            }) ?? DefaultTimeouts,
            Limits = Object(root, path, nameof(MeshGatewayOptions.Limits), LimitKeys, (s, p) => new MeshGatewayLimitOptions
            {
                MaxConnections = Scalar(s, p, nameof(MeshGatewayLimitOptions.MaxConnections), DefaultLimits.MaxConnections, ConfigurationValue.TryInteger),
                MaxClientHelloBytes = Scalar(s, p, nameof(MeshGatewayLimitOptions.MaxClientHelloBytes), DefaultLimits.MaxClientHelloBytes, ConfigurationValue.TryInteger),
                MaxConnectAttempts = Scalar(s, p, nameof(MeshGatewayLimitOptions.MaxConnectAttempts), DefaultLimits.MaxConnectAttempts, ConfigurationValue.TryInteger),
                BufferSize = Scalar(s, p, nameof(MeshGatewayLimitOptions.BufferSize), DefaultLimits.BufferSize, ConfigurationValue.TryInteger),
            }) ?? DefaultLimits,
            ProxyProtocol = Enum(root, path, nameof(MeshGatewayOptions.ProxyProtocol), ProxyProtocolVersion.None),
            Metrics = Object(root, path, nameof(MeshGatewayOptions.Metrics), MetricsKeys, (s, p) => new MeshGatewayMetricsOptions
            {
                PrintInterval = Scalar(s, p, nameof(MeshGatewayMetricsOptions.PrintInterval), (TimeSpan?)null, (string text, out TimeSpan? value, out string? error) =>
                {
                    bool ok = ConfigurationValue.TryDuration(text, allowZero: false, out TimeSpan duration, out error);
                    value = ok ? duration : null;
                    return ok;
                }),
            }) ?? new MeshGatewayMetricsOptions(),
            Entries = Strings(root, path, nameof(MeshGatewayOptions.Entries)),
            Service = String(root, path, nameof(MeshGatewayOptions.Service)),
            BaseDirectory = baseDirectory,
            Consul = Object(root, path, nameof(MeshGatewayOptions.Consul), ConsulKeys, (s, p) => new MeshGatewayConsulOptions
            {
                Address = String(s, p, nameof(MeshGatewayConsulOptions.Address)),
                Token = String(s, p, nameof(MeshGatewayConsulOptions.Token)),
                TokenFile = String(s, p, nameof(MeshGatewayConsulOptions.TokenFile)),
                CaFile = String(s, p, nameof(MeshGatewayConsulOptions.CaFile)),
                ClientCertFile = String(s, p, nameof(MeshGatewayConsulOptions.ClientCertFile)),
                ClientKeyFile = String(s, p, nameof(MeshGatewayConsulOptions.ClientKeyFile)),
                TlsServerName = String(s, p, nameof(MeshGatewayConsulOptions.TlsServerName)),
                Namespace = String(s, p, nameof(MeshGatewayConsulOptions.Namespace)),
                Register = Object(s, p, nameof(MeshGatewayConsulOptions.Register), RegisterKeys, (r, rp) => new MeshGatewayConsulRegisterOptions
                {
                    Enabled = Scalar(r, rp, nameof(MeshGatewayConsulRegisterOptions.Enabled), false, ConfigurationValue.TryBoolean),
                    Name = String(r, rp, nameof(MeshGatewayConsulRegisterOptions.Name)),
                    Address = String(r, rp, nameof(MeshGatewayConsulRegisterOptions.Address)),
                    WanAddress = String(r, rp, nameof(MeshGatewayConsulRegisterOptions.WanAddress)),
                }),
            }),
        };
    }

    private static string[] Child(string[] path, string name) => [.. path, name];

    private void Error(string[] path, string message) => Errors.Add(new MeshGatewayOptionsProblem(path, message));

    /// <summary>Every key of <paramref name="section"/> that <paramref name="known"/> does not hold (any case) is an error.</summary>
    private void Known(IConfiguration section, string[] path, string[] known)
    {
        foreach (IConfigurationSection child in section.GetChildren())
        {
            if (!known.Contains(child.Key, StringComparer.OrdinalIgnoreCase))
            {
                Error(Child(path, child.Key), $"unknown property (expected one of {string.Join(", ", known.Select(MeshGatewayOptionsProblem.CamelCase))}).");
            }
        }
    }

    /// <summary>The section at <paramref name="key"/> when it holds anything (a value or children), else null: absent, <c>null</c>, <c>[]</c> and <c>{}</c> alike.</summary>
    private static IConfigurationSection? Present(IConfiguration parent, string key)
    {
        IConfigurationSection section = parent.GetSection(key);
        return section.Value is not null || section.GetChildren().Any() ? section : null;
    }

    /// <summary>The JSON provider stores <c>[]</c> and <c>{}</c> as an empty or null value: where a list or an object belongs, that is an empty one.</summary>
    private static bool IsEmptyContainer(IConfigurationSection section) => section.Value is null or { Length: 0 } && !section.GetChildren().Any();

    /// <summary>Children, not all of them list indexes (configuration cannot tell <c>[]</c> from <c>{}</c>, both absent here).</summary>
    private static bool IsObject(IConfigurationSection section) =>
        section.Value is null && !section.GetChildren().All(c => MeshGatewayOptionsProblem.IsIndex(c.Key));

    private static string Shape(IConfigurationSection section) =>
        section.Value is { } value ? MeshGatewayText.Quote(value)
        : !section.GetChildren().Any() ? "null"
        : section.GetChildren().All(c => MeshGatewayOptionsProblem.IsIndex(c.Key)) ? "a list" : "an object";

    /// <summary>A scalar's text, or null (with an error) when the key holds a list or an object.</summary>
    private string? Text(IConfiguration parent, string[] parentPath, string key, out string[] path)
    {
        path = Child(parentPath, key);
        if (Present(parent, key) is not { } section)
        {
            return null;
        }

        if (section.Value is null)
        {
            Error(path, $"expected a single value, got {Shape(section)}.");
        }

        return section.Value;
    }

    private string? String(IConfiguration parent, string[] parentPath, string key, bool emptyAllowed = false)
    {
        string? text = Text(parent, parentPath, key, out string[] path);
        if (text is not null && !emptyAllowed && string.IsNullOrWhiteSpace(text))
        {
            Error(path, $"expected a non-empty string, got {MeshGatewayText.Quote(text)}.");
            return null;
        }

        return text;
    }

    private T Scalar<T>(IConfiguration parent, string[] parentPath, string key, T fallback, ConfigurationValue.Reader<T> read)
    {
        if (Text(parent, parentPath, key, out string[] path) is not { } text)
        {
            return fallback;
        }

        if (read(text, out T value, out string? error))
        {
            return value;
        }

        Error(path, error!);
        return fallback;
    }

    private TimeSpan Duration(IConfiguration parent, string[] parentPath, string key, TimeSpan fallback, bool allowZero = false) =>
        Scalar(parent, parentPath, key, fallback, (string text, out TimeSpan value, out string? error) => ConfigurationValue.TryDuration(text, allowZero, out value, out error));

    private TEnum Enum<TEnum>(IConfiguration parent, string[] parentPath, string key, TEnum fallback)
        where TEnum : struct, Enum =>
        Scalar(parent, parentPath, key, fallback, (string text, out TEnum value, out string? error) => ConfigurationValue.TryEnum(text, kebabCase: true, out value, out error));

    /// <summary>A list's items in index order (configuration keys sort as strings: <c>10</c> before <c>2</c>), or null (with an error) when the key holds something else.</summary>
    private List<(IConfigurationSection Item, string[] Path)>? Items(IConfiguration parent, string[] parentPath, string key)
    {
        string[] path = Child(parentPath, key);
        if (Present(parent, key) is not { } section || IsEmptyContainer(section))
        {
            return [];
        }

        List<IConfigurationSection> children = [.. section.GetChildren()];
        if (section.Value is not null || !children.TrueForAll(c => MeshGatewayOptionsProblem.IsIndex(c.Key)))
        {
            Error(path, $"expected a list, got {Shape(section)}.");
            return null;
        }

        return [.. children
            .OrderBy(c => int.TryParse(c.Key, NumberStyles.None, CultureInfo.InvariantCulture, out int index) ? index : int.MaxValue)
            .Select(c => (c, Child(path, c.Key)))];
    }

    private List<string> Strings(IConfiguration parent, string[] parentPath, string key)
    {
        var values = new List<string>();
        foreach ((IConfigurationSection item, string[] path) in Items(parent, parentPath, key) ?? [])
        {
            if (item.Value is { } value)
            {
                values.Add(value);
            }
            else
            {
                Error(path, $"expected a single value, got {Shape(item)}.");
                values.Add(string.Empty);
            }
        }

        return values;
    }

    private List<T> Objects<T>(IConfiguration parent, string[] parentPath, string key, string[] known, Func<IConfigurationSection, string[], T> bind)
        where T : class, new()
    {
        var values = new List<T>();
        foreach ((IConfigurationSection item, string[] path) in Items(parent, parentPath, key) ?? [])
        {
            if (!IsObject(item) && !IsEmptyContainer(item))
            {
                Error(path, $"expected an object, got {Shape(item)}.");
                values.Add(new T());
                continue;
            }

            Known(item, path, known);
            values.Add(bind(item, path));
        }

        return values;
    }

    private T? Object<T>(IConfiguration parent, string[] parentPath, string key, string[] known, Func<IConfigurationSection, string[], T> bind)
        where T : class
    {
        string[] path = Child(parentPath, key);
        if (Present(parent, key) is not { } section || IsEmptyContainer(section))
        {
            return null;
        }

        if (!IsObject(section))
        {
            Error(path, $"expected an object, got {Shape(section)}.");
            return null;
        }

        Known(section, path, known);
        return bind(section, path);
    }
}
