using System.Diagnostics.Metrics;
using MeshGateway.Consul.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace MeshGateway.Consul.Watch;

/// <summary>
/// Follows a Consul agent with blocking queries and keeps an immutable <see cref="ConsulMeshSnapshot"/> of what it says:
/// local services' Connect-capable instances (<c>/v1/catalog/services</c>, then <c>/v1/health/connect/:service?passing</c>
/// for each), other datacenters' mesh gateways (<c>/v1/catalog/datacenters</c>, then
/// <c>/v1/health/service/mesh-gateway?dc=…&amp;passing</c>), the trust domain (<c>/v1/connect/ca/roots</c>) and the
/// <c>proxy-defaults</c>/<c>service-defaults</c> config entries. Each change swaps the snapshot atomically and raises
/// <see cref="SnapshotChanged"/>; while the agent is unreachable the last snapshot stays and <see cref="Status"/> says so
/// (also as the gauge <c>meshgateway.consul.connected</c> on the <c>MeshGateway.Consul</c> meter).
/// </summary>
public sealed partial class ConsulMeshWatcher : IAsyncDisposable
{
    /// <summary>The name of the meter the watcher's gauge is on.</summary>
    public const string MeterName = "MeshGateway.Consul";

    private readonly ConsulClientOptions client;
    private readonly ConsulMeshWatcherOptions options;
    private readonly ILogger logger;
    private readonly ConsulHttp http;
    private readonly SemaphoreSlim slots;
    private readonly CancellationTokenSource stopping = new();
    private readonly Meter meter;
    private readonly List<Task> rootWatches = [];
    private ConsulMeshSnapshot current;
    private ConsulConnectionStatus status = ConsulConnectionStatus.NotStarted;
    private TaskCompletionSource changed = NewSignal();
    private int started;

    /// <summary>Creates a watcher; nothing is read until <see cref="Start"/>.</summary>
    /// <param name="client">How to reach the agent.</param>
    /// <param name="options">What to watch; null for the defaults (the datacenter then comes from <paramref name="client"/>).</param>
    /// <param name="logger">Where failures and reconnections are logged; null for none.</param>
    /// <exception cref="ArgumentException">The options are invalid; the message lists every error.</exception>
    public ConsulMeshWatcher(ConsulClientOptions client, ConsulMeshWatcherOptions? options = null, ILogger<ConsulMeshWatcher>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        options ??= new ConsulMeshWatcherOptions();
        IReadOnlyList<string> errors = options.Validate(client.Datacenter);
        if (errors.Count > 0)
        {
            throw new ArgumentException("invalid Consul watcher options:" + Environment.NewLine + string.Join(Environment.NewLine, errors), nameof(options));
        }

        this.client = client;
        this.options = options;
        this.logger = logger ?? (ILogger)NullLogger.Instance;
        Datacenter = (options.Datacenter ?? client.Datacenter)!.Trim();
        http = new ConsulHttp(client);
        slots = new SemaphoreSlim(options.MaxConcurrentQueries, options.MaxConcurrentQueries);
        current = ConsulMeshSnapshot.Empty(Datacenter, options.TrustDomain);
        trustDomain = options.TrustDomain;
        meter = new Meter(MeterName);
        KeyValuePair<string, object?>[] agentTag = [new("consul.address", client.Address.ToString())];
        meter.CreateObservableGauge(
            "meshgateway.consul.connected",
            () => new Measurement<int>(Status.Connected ? 1 : 0, agentTag),
            unit: "{connected}",
            description: "1 while the Consul agent answers the watcher's queries, 0 while it does not (the last snapshot stays in use).");
    }

    /// <summary>The gateway's datacenter.</summary>
    public string Datacenter { get; }

    /// <summary>The newest snapshot (version 0 until the agent first answers).</summary>
    public ConsulMeshSnapshot Current => Volatile.Read(ref current);

    /// <summary>How the conversation with the agent stands.</summary>
    public ConsulConnectionStatus Status => Volatile.Read(ref status);

    /// <summary>
    /// Raised after each change with the new snapshot, on a thread-pool thread. Handlers that fall behind may see
    /// snapshots out of order; <see cref="Current"/> is always the newest.
    /// </summary>
    public event EventHandler<ConsulMeshSnapshot>? SnapshotChanged;

    /// <summary>
    /// Raised on a thread-pool thread when <see cref="ConsulConnectionStatus.Connected"/> changes (the agent went away
    /// or came back), with the new status.
    /// </summary>
    public event EventHandler<ConsulConnectionStatus>? StatusChanged;

    /// <summary>Starts the blocking queries (once; later calls do nothing).</summary>
    public void Start()
    {
        ObjectDisposedException.ThrowIf(stopping.IsCancellationRequested, this);
        if (Interlocked.Exchange(ref started, 1) != 0)
        {
            return;
        }

        CancellationToken token = stopping.Token;
        rootWatches.Add(Watch("/v1/catalog/services", null, notFoundIsEmpty: false, ApplyServiceList, token));
        rootWatches.Add(Watch("/v1/catalog/datacenters", null, notFoundIsEmpty: false, ApplyDatacenters, token));
        if (options.TrustDomain is null)
        {
            rootWatches.Add(Watch("/v1/connect/ca/roots", null, notFoundIsEmpty: false, ApplyTrustDomain, token));
        }

        if (options.WatchConfigEntries)
        {
            rootWatches.Add(Watch("/v1/config/proxy-defaults/global", null, notFoundIsEmpty: true, ApplyProxyDefaults, token));
            rootWatches.Add(Watch("/v1/config/service-defaults", null, notFoundIsEmpty: true, ApplyServiceDefaults, token));
            rootWatches.Add(Watch("/v1/config/service-resolver", null, notFoundIsEmpty: true, ApplyServiceResolvers, token));
        }
    }

    /// <summary>
    /// Completes with the first snapshot whose <see cref="ConsulMeshSnapshot.Version"/> is above
    /// <paramref name="afterVersion"/> (at once when <see cref="Current"/> already is).
    /// </summary>
    /// <param name="afterVersion">The version the caller has seen.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>A newer snapshot.</returns>
    public async Task<ConsulMeshSnapshot> WaitForChangeAsync(long afterVersion, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            Task signal = Volatile.Read(ref changed).Task;
            ConsulMeshSnapshot snapshot = Current;
            if (snapshot.Version > afterVersion)
            {
                return snapshot;
            }

            await signal.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Stops every query and releases the HTTP connections; the last snapshot stays readable.</summary>
    /// <returns>Completes when every query loop has ended.</returns>
    public async ValueTask DisposeAsync()
    {
        if (stopping.IsCancellationRequested)
        {
            return;
        }

        await stopping.CancelAsync().ConfigureAwait(false);
        Task[] loops;
        lock (gate)
        {
            loops = [.. rootWatches, .. childLoops];
        }

        await Task.WhenAll(loops).ConfigureAwait(false);
        http.Dispose();
        slots.Dispose();
        meter.Dispose();
        stopping.Dispose();
    }

    private void RaiseStatusChanged(ConsulConnectionStatus now)
    {
        if (StatusChanged is { } handlers)
        {
            ThreadPool.QueueUserWorkItem(static s => s.handlers(s.self, s.now), (handlers, self: this, now), preferLocal: false);
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
