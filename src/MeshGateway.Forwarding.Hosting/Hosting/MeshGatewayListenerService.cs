using System.Net;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace MeshGateway.Forwarding.Hosting;

/// <summary>
/// Runs the registered <see cref="TcpForwarder"/> on every address of <see cref="MeshGatewayListenerOptions"/> for the
/// life of a generic host. On stop it stops accepting, then drains: open connections get up to
/// <see cref="ForwarderOptions.DrainTimeout"/> to finish and end as <see cref="CloseCause.Drained"/>.
/// </summary>
public sealed class MeshGatewayListenerService : IHostedService, IAsyncDisposable
{
    private static readonly Action<ILogger, int, TimeSpan, Exception?> Draining = LoggerMessage.Define<int, TimeSpan>(
        LogLevel.Information, new EventId(41, "Draining"), "Stopping: draining {Count} connection(s), up to {DrainTimeout}");

    private readonly TcpForwarder _forwarder;
    private readonly MeshGatewayListenerOptions _options;
    private readonly TimeSpan _drainTimeout;
    private readonly ILogger _logger;
    private readonly List<ForwarderListener> _listeners = [];

    /// <summary>Creates the service.</summary>
    /// <param name="forwarder">The forwarder every listener hands its connections to.</param>
    /// <param name="options">Where to listen.</param>
    /// <param name="forwarderOptions">The forwarder's options (for the drain timeout the log line reports).</param>
    /// <param name="logger">Where the drain is logged, or <see langword="null"/>.</param>
    public MeshGatewayListenerService(
        TcpForwarder forwarder,
        IOptions<MeshGatewayListenerOptions> options,
        IOptions<ForwarderOptions> forwarderOptions,
        ILogger<MeshGatewayListenerService>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(forwarder);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(forwarderOptions);
        _forwarder = forwarder;
        _options = options.Value;
        _drainTimeout = forwarderOptions.Value.DrainTimeout;
        _logger = logger ?? (ILogger)NullLogger.Instance;
    }

    /// <summary>The bound addresses, once started.</summary>
    public IReadOnlyList<IPEndPoint> EndPoints => [.. _listeners.Select(l => l.LocalEndPoint!)];

    /// <inheritdoc/>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (string address in _options.Listeners)
        {
            var listener = new ForwarderListener(_forwarder, IPEndPoint.Parse(address));
            _listeners.Add(listener);
            listener.Start();
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        Draining(_logger, _forwarder.ActiveConnections, _drainTimeout, null);

        // Every listener stops accepting first; the shared forwarder drains once, within its drain timeout.
        await Task.WhenAll(_listeners.Select(l => l.StopAsync(cancellationToken))).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        foreach (ForwarderListener listener in _listeners)
        {
            await listener.DisposeAsync().ConfigureAwait(false);
        }
    }
}
