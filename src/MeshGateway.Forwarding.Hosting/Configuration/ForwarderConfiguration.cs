using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace MeshGateway.Forwarding.Hosting;

/// <summary>
/// Binds <see cref="ForwarderOptions"/> from a configuration section (keys case-insensitive, as everywhere in .NET
/// configuration) without the reflection binder's failure mode: a value that is not a duration, a number, a boolean
/// or one of an enum's names is reported like a validation error, by its configuration path, and every such error is
/// reported at once. Durations take MeshGateway's one syntax (<see cref="ForwarderDuration"/>: <c>"10s"</c> or
/// <c>"00:00:10"</c>); <c>DrainTimeout</c> also takes zero. Keys the forwarder does not know are left to other
/// readers (the same section holds <c>Listeners</c>).
/// </summary>
public static class ForwarderConfiguration
{
    /// <summary>Binds <paramref name="section"/> onto <paramref name="options"/>, collecting every error.</summary>
    /// <param name="section">The section, for example <c>MeshGateway</c>.</param>
    /// <param name="options">The options to fill; keys absent from the section keep their values.</param>
    /// <param name="errors">Every value that could not be read, e.g. <c>MeshGateway:IdleTimeout: "ten" is not a duration: …</c>.</param>
    /// <returns><see langword="true"/> when every present value was read.</returns>
    public static bool TryBind(IConfiguration section, ForwarderOptions options, out IReadOnlyList<string> errors)
    {
        ArgumentNullException.ThrowIfNull(section);
        ArgumentNullException.ThrowIfNull(options);
        var problems = new List<string>();
        options.SniffTimeout = Duration(section, nameof(ForwarderOptions.SniffTimeout), options.SniffTimeout, problems);
        options.RouteTimeout = Duration(section, nameof(ForwarderOptions.RouteTimeout), options.RouteTimeout, problems);
        options.ConnectTimeout = Duration(section, nameof(ForwarderOptions.ConnectTimeout), options.ConnectTimeout, problems);
        options.IdleTimeout = Duration(section, nameof(ForwarderOptions.IdleTimeout), options.IdleTimeout, problems);
        options.HalfClosedTimeout = Duration(section, nameof(ForwarderOptions.HalfClosedTimeout), options.HalfClosedTimeout, problems);
        options.DrainTimeout = Duration(section, nameof(ForwarderOptions.DrainTimeout), options.DrainTimeout, problems, allowZero: true);
        options.MaxClientHelloBytes = Integer(section, nameof(ForwarderOptions.MaxClientHelloBytes), options.MaxClientHelloBytes, problems);
        options.MaxConnectAttempts = Integer(section, nameof(ForwarderOptions.MaxConnectAttempts), options.MaxConnectAttempts, problems);
        options.MaxConnections = Integer(section, nameof(ForwarderOptions.MaxConnections), options.MaxConnections, problems);
        options.BufferSize = Integer(section, nameof(ForwarderOptions.BufferSize), options.BufferSize, problems);
        options.Pump = EnumValue(section, nameof(ForwarderOptions.Pump), options.Pump, problems);
        options.UseZeroByteReads = Boolean(section, nameof(ForwarderOptions.UseZeroByteReads), options.UseZeroByteReads, problems);
        options.PropagateResets = Boolean(section, nameof(ForwarderOptions.PropagateResets), options.PropagateResets, problems);
        options.NotTlsCluster = section[nameof(ForwarderOptions.NotTlsCluster)] ?? options.NotTlsCluster;
        options.MalformedCluster = section[nameof(ForwarderOptions.MalformedCluster)] ?? options.MalformedCluster;
        options.NoRouteCluster = section[nameof(ForwarderOptions.NoRouteCluster)] ?? options.NoRouteCluster;

        foreach (IConfigurationSection route in Children(section, nameof(ForwarderOptions.Routes)))
        {
            options.Routes.Add(new ForwardRouteOptions
            {
                Sni = route[nameof(ForwardRouteOptions.Sni)] ?? string.Empty,
                Cluster = route[nameof(ForwardRouteOptions.Cluster)] ?? string.Empty,
            });
        }

        foreach (IConfigurationSection cluster in section.GetSection(nameof(ForwarderOptions.Clusters)).GetChildren())
        {
            var bound = new UpstreamClusterOptions
            {
                LoadBalancing = EnumValue(cluster, nameof(UpstreamClusterOptions.LoadBalancing), LoadBalancingPolicy.PowerOfTwoChoices, problems),
                ProxyProtocol = EnumValue(cluster, nameof(UpstreamClusterOptions.ProxyProtocol), ProxyProtocolVersion.None, problems),
            };
            foreach (IConfigurationSection endpoint in Children(cluster, nameof(UpstreamClusterOptions.Endpoints)))
            {
                bound.Endpoints.Add(endpoint.Value ?? string.Empty);
            }

            options.Clusters[cluster.Key] = bound;
        }

        errors = problems;
        return problems.Count == 0;
    }

    /// <summary>A list's items in index order (configuration keys sort as strings: <c>10</c> before <c>2</c>).</summary>
    private static IEnumerable<IConfigurationSection> Children(IConfiguration section, string key) =>
        section.GetSection(key).GetChildren()
            .OrderBy(child => int.TryParse(child.Key, NumberStyles.None, CultureInfo.InvariantCulture, out int index) ? index : int.MaxValue)
            .ThenBy(child => child.Key, StringComparer.Ordinal);

    private static TimeSpan Duration(IConfiguration section, string key, TimeSpan fallback, List<string> problems, bool allowZero = false) =>
        Read(section, key, fallback, problems, (string text, out TimeSpan value, out string? error) => ConfigurationValue.TryDuration(text, allowZero, out value, out error));

    private static int Integer(IConfiguration section, string key, int fallback, List<string> problems) =>
        Read(section, key, fallback, problems, ConfigurationValue.TryInteger);

    private static bool Boolean(IConfiguration section, string key, bool fallback, List<string> problems) =>
        Read(section, key, fallback, problems, ConfigurationValue.TryBoolean);

    private static TEnum EnumValue<TEnum>(IConfiguration section, string key, TEnum fallback, List<string> problems)
        where TEnum : struct, Enum =>
        Read(section, key, fallback, problems, (string text, out TEnum value, out string? error) => ConfigurationValue.TryEnum(text, kebabCase: false, out value, out error));

    private static T Read<T>(IConfiguration section, string key, T fallback, List<string> problems, ConfigurationValue.Reader<T> read)
    {
        if (Value(section, key) is not { } text)
        {
            return fallback;
        }

        if (read(text, out T value, out string? error))
        {
            return value;
        }

        problems.Add($"{PathOf(section, key)}: {error}");
        return fallback;
    }

    private static string? Value(IConfiguration section, string key) => section[key] is { Length: > 0 } text ? text : null;

    private static string PathOf(IConfiguration section, string key) =>
        section is IConfigurationSection named ? ConfigurationPath.Combine(named.Path, key) : key;
}
