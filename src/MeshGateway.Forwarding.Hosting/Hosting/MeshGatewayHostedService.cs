using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace MeshGateway.Forwarding.Hosting;

/// <summary>
/// Runs the gateway a configuration section describes (<c>services.AddMeshGateway(section)</c>; the keys of a
/// <c>meshgw run</c> file, in any case) for the life of a generic host, and follows the section's edits: services,
/// remote gateways, upstream endpoints, routes, timeouts and limits switch for connections accepted after the edit
/// (connections in flight keep their upstream and their timeouts). An edit that changes what needs a restart (mode,
/// datacenter, partition, trust domain, listen addresses, <c>Limits:MaxClientHelloBytes</c>) is not applied and is logged
/// once, naming the key; an invalid edit is logged with every error, and the running configuration stays. On stop it
/// stops accepting and drains: open connections get up to the drain timeout and end as <see cref="CloseCause.Drained"/>.
/// </summary>
public sealed partial class MeshGatewayHostedService : IHostedService, IAsyncDisposable
{
    private readonly IConfiguration _section;
    private readonly string _sectionPath;
    private readonly MeshGatewayHostedServiceDependencies _dependencies;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private ForwarderGroup? _group;
    private MeshGatewayComposition? _running;
    private IDisposable? _subscription;
    private string? _lastSeen;

    internal MeshGatewayHostedService(IConfiguration section, MeshGatewayHostedServiceDependencies dependencies)
    {
        _section = section;
        _sectionPath = section is IConfigurationSection named ? named.Path : string.Empty;
        _dependencies = dependencies;
        _logger = dependencies.LoggerFactory?.CreateLogger("MeshGateway.Forwarding.Hosting") ?? NullLogger.Instance;
    }

    /// <summary>The bound addresses (with the real port where 0 was asked), once started; in the configuration's order.</summary>
    public IReadOnlyList<IPEndPoint> EndPoints => _group is { } group ? [.. group.LocalEndPoints.OfType<IPEndPoint>()] : [];

    /// <summary>The configuration in force: the one started with, or the last edit applied.</summary>
    public MeshGatewayComposition? Current => Volatile.Read(ref _running);

    /// <summary>Composes the section and starts every listener.</summary>
    /// <param name="cancellationToken">Unused: binding a listener does not wait.</param>
    /// <returns>A completed task.</returns>
    /// <exception cref="OptionsValidationException">The section is invalid; every error is listed, each as <c>MeshGateway:Path: message</c>.</exception>
    /// <exception cref="System.Net.Sockets.SocketException">A listen address cannot be bound.</exception>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!MeshGatewayConfiguration.TryCompose(_section, out MeshGatewayComposition? composition, out IReadOnlyList<MeshGatewayOptionsProblem> errors))
        {
            throw new OptionsValidationException(_sectionPath, typeof(MeshGatewayOptions), errors.Select(Render));
        }

        if (NotFollowedHere(composition!) is { } consul)
        {
            throw new OptionsValidationException(_sectionPath, typeof(MeshGatewayOptions), [Render(consul)]);
        }

        LogWarnings(composition!);
        _group = await composition!.StartAsync(Configure).ConfigureAwait(false);
        Volatile.Write(ref _running, composition);
        for (int i = 0; i < _group.Plans.Count; i++)
        {
            Log.Listening(_logger, _group.LocalEndPoints[i], _group.Plans[i].Description);
        }

        foreach (string route in composition.Routes)
        {
            Log.Serving(_logger, route);
        }

        _lastSeen = Fingerprint(_section);
        _subscription = ChangeToken.OnChange(_section.GetReloadToken, Reload);
    }

    /// <summary>Stops following edits, stops accepting, then drains every listener's connections within the drain timeout.</summary>
    /// <param name="cancellationToken">Ends the drain early (the host's shutdown timeout).</param>
    /// <returns>A task that completes when every connection is closed.</returns>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _subscription?.Dispose();
        if (_group is not { } group)
        {
            return;
        }

        Log.Draining(_logger, group.ActiveConnections, Current?.Options.Timeouts.Drain ?? TimeSpan.Zero);
        await group.StopAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Releases every listener and forwarder (draining first if not stopped).</summary>
    /// <returns>A task that completes when everything is released.</returns>
    public async ValueTask DisposeAsync()
    {
        _subscription?.Dispose();
        if (_group is { } group)
        {
            await group.DisposeAsync().ConfigureAwait(false);
        }
    }

    private void Configure(ListenerPlan plan, TcpForwarderBuilder builder)
    {
        builder.UseTimeProvider(_dependencies.TimeProvider);
        if (_dependencies.LoggerFactory is { } loggerFactory)
        {
            builder.UseLoggerFactory(loggerFactory);
        }

        if (_dependencies.MeterFactory is { } meterFactory)
        {
            builder.UseMeterFactory(meterFactory);
        }

        foreach (IForwarderObserver observer in _dependencies.Observers)
        {
            builder.AddObserver(observer);
        }
    }

    private void Reload()
    {
        lock (_gate)
        {
            // One edit often signals more than once (each provider's reload, then the root's; a file watcher's
            // several events): an edit already seen, applied or not, is not composed or logged again.
            string seen = Fingerprint(_section);
            if (_group is not { } group || Current is not { } running || seen == _lastSeen)
            {
                return;
            }

            _lastSeen = seen;

            if (!MeshGatewayConfiguration.TryCompose(_section, out MeshGatewayComposition? edited, out IReadOnlyList<MeshGatewayOptionsProblem> errors))
            {
                Log.EditRejected(_logger, errors.Count, string.Join("; ", errors.Select(Render)));
                return;
            }

            if (NotFollowedHere(edited!) is { } consul)
            {
                Log.EditRejected(_logger, 1, Render(consul));
                return;
            }

            if (MeshGatewayRestartKeys.FirstDifference(running.Options, edited!.Options) is { } key)
            {
                Log.RestartRequired(_logger, new MeshGatewayOptionsProblem(key, string.Empty).ToConfigurationPath(_sectionPath));
                return;
            }

            // Per listener, the settings and the routes in one snapshot: a connection accepted from here on gets both,
            // one accepted before keeps both, even if it routes after this.
            ForwarderOptions options = edited.CreateForwarderOptions();
            for (int i = 0; i < group.Forwarders.Count; i++)
            {
                group.Forwarders[i].UpdateOptions(options, edited.Listeners[i].Routes);
            }

            Volatile.Write(ref _running, edited);
            LogWarnings(edited);
            Log.Reloaded(_logger, edited.Listeners.Count);
        }
    }

    /// <summary>
    /// A <c>Consul</c> section is what <c>meshgw run</c> follows through MeshGateway.Consul, a package this one does not
    /// reference: a host that accepted it would run a gateway that silently routes nothing Consul knows. Refused instead,
    /// naming what does follow an agent from code.
    /// </summary>
    private static MeshGatewayOptionsProblem? NotFollowedHere(MeshGatewayComposition composition) =>
        composition.Options.Consul is null
            ? null
            : new MeshGatewayOptionsProblem(
                [nameof(MeshGatewayOptions.Consul)],
                "a host does not follow a Consul agent from configuration (meshgw run does): remove the section and feed the routes from code with MeshGateway.Consul's ConsulMeshWatcher and ConsulGatewayRoutes (docs/consul.md).");

    private void LogWarnings(MeshGatewayComposition composition)
    {
        foreach (MeshGatewayOptionsProblem warning in composition.Warnings)
        {
            Log.Warning(_logger, Render(warning));
        }
    }

    /// <summary>Every key and value of the section, in order: equal exactly when the section holds the same text.</summary>
    private static string Fingerprint(IConfiguration section) =>
        string.Join('\n', section.AsEnumerable().OrderBy(pair => pair.Key, StringComparer.OrdinalIgnoreCase).Select(pair => $"{pair.Key}\u001F{pair.Value}"));

    private string Render(MeshGatewayOptionsProblem problem) => $"{problem.ToConfigurationPath(_sectionPath)}: {problem.Message}";

    private static partial class Log
    {
        [LoggerMessage(40, LogLevel.Error, "Configuration edit rejected with {Count} error(s); keeping the running configuration: {Errors}", EventName = "ConfigurationEditRejected")]
        public static partial void EditRejected(ILogger logger, int count, string errors);

        [LoggerMessage(41, LogLevel.Information, "Stopping: draining {Count} connection(s), up to {DrainTimeout}", EventName = "Draining")]
        public static partial void Draining(ILogger logger, int count, TimeSpan drainTimeout);

        [LoggerMessage(42, LogLevel.Warning, "Configuration edit of {Key} needs a restart; the edit is not applied and the running configuration stays", EventName = "RestartRequired")]
        public static partial void RestartRequired(ILogger logger, string key);

        [LoggerMessage(43, LogLevel.Information, "Configuration reloaded: {Count} listener(s) take the new routes, timeouts and limits for new connections", EventName = "ConfigurationReloaded")]
        public static partial void Reloaded(ILogger logger, int count);

        [LoggerMessage(44, LogLevel.Information, "Listening on {EndPoint}: {Description}", EventName = "Listening")]
        public static partial void Listening(ILogger logger, IPEndPoint? endPoint, string description);

        [LoggerMessage(45, LogLevel.Information, "  {Route}", EventName = "Serving")]
        public static partial void Serving(ILogger logger, string route);

        [LoggerMessage(46, LogLevel.Warning, "{Warning}", EventName = "ConfigurationWarning")]
        public static partial void Warning(ILogger logger, string warning);
    }
}
