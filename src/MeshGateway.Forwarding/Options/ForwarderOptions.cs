using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace MeshGateway.Forwarding;

/// <summary>
/// Settings of the forwarder, with documented defaults (see docs/forwarding.md for where each comes from).
/// Validated at start by <see cref="ForwarderOptionsValidator"/>, which reports every error at once. Everything is
/// reloadable through <c>IOptionsMonitor</c>: <see cref="Routes"/>, <see cref="Clusters"/> and the fallbacks for the
/// next connection routed, timeouts, limits and buffers for the next connection accepted
/// (<see cref="TcpForwarder.UpdateOptions(ForwarderOptions)"/>), except <see cref="Pump"/> and <see cref="MaxClientHelloBytes"/>, fixed
/// when the forwarder is built.
/// </summary>
public sealed class ForwarderOptions
{
    /// <summary>Largest ClientHello budget a forwarder accepts (Envoy's cap).</summary>
    public const int MaxClientHelloBytesLimit = 64 * 1024;

    /// <summary>
    /// The longest timeout any option may hold: 2^32 - 2 ms (about 49.7 days), the most a runtime timer
    /// (<see cref="CancellationTokenSource.CancelAfter(TimeSpan)"/>, <see cref="Task.Delay(TimeSpan, TimeProvider)"/>,
    /// <see cref="TimeProvider.CreateTimer"/>) accepts. Every timeout option is validated against it.
    /// </summary>
    public static TimeSpan MaxTimeout { get; } = TimeSpan.FromMilliseconds(uint.MaxValue - 1);

    /// <summary>
    /// Absolute deadline for the ClientHello, from accept (not per read, so trickling bytes does not extend it).
    /// Default 10 s; positive, at most <see cref="MaxTimeout"/>.
    /// </summary>
    public TimeSpan SniffTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Deadline of the routing phase (the route resolver's answer), from the moment the ClientHello was decided.
    /// A resolver that does not answer in time (even one that ignores its token) closes the connection with
    /// <see cref="CloseCause.RouteTimeout"/>. Default 5 s; positive, at most <see cref="MaxTimeout"/>.
    /// </summary>
    public TimeSpan RouteTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Most bytes read while sniffing; a longer ClientHello closes with <see cref="CloseCause.ClientHelloTooLarge"/>. Default 16 KiB.</summary>
    [Range(256, MaxClientHelloBytesLimit)]
    public int MaxClientHelloBytes { get; set; } = 16 * 1024;

    /// <summary>Timeout of one upstream connect attempt. Default 5 s; positive, at most <see cref="MaxTimeout"/>.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Connect attempts per connection, each on a different endpoint. Default 2.</summary>
    [Range(1, 16)]
    public int MaxConnectAttempts { get; set; } = 2;

    /// <summary>A connection that moves no byte either way for this long is closed. Default 10 min; positive, at most <see cref="MaxTimeout"/>.</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Once one direction has finished, the other is closed after this long without a byte. Default 60 s; positive, at most <see cref="MaxTimeout"/>.</summary>
    public TimeSpan HalfClosedTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long a drain lets connections finish before aborting them. Default 30 s; zero or positive, at most <see cref="MaxTimeout"/>.</summary>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Most concurrent connections. Default 10 000. A forwarder lowers it when the process's descriptor limit
    /// (<c>RLIMIT_NOFILE</c>) cannot hold that many connections (2 descriptors each with <see cref="PumpMode.Copy"/>,
    /// 2.5 with <see cref="PumpMode.Auto"/>, whose bulk directions use pipes, 6 with <see cref="PumpMode.SpliceWhenPossible"/>;
    /// Linux) and logs the effective cap (see
    /// <see cref="TcpForwarder.MaxConnections"/>). At the cap, <see cref="ForwarderListener"/> stops accepting (new
    /// clients wait in the listen backlog); connections handed over otherwise close with <see cref="CloseCause.ConnectionLimit"/>.
    /// </summary>
    [Range(1, int.MaxValue)]
    public int MaxConnections { get; set; } = 10_000;

    /// <summary>Copy buffer per direction, pooled, rented only while data flows. Default 256 KiB: 64 KiB cost ~30-40 % more proxy CPU per GB in the peer benchmark (docs/benchmarks.md), 16 KiB ~50 % more again.</summary>
    [Range(1024, 4 * 1024 * 1024)]
    public int BufferSize { get; set; } = 256 * 1024;

    /// <summary>
    /// How bytes are moved once streaming: <see cref="PumpMode.Auto"/> (default: copy, and Linux <c>splice(2)</c> for
    /// bulk directions), <see cref="PumpMode.Copy"/> or <see cref="PumpMode.SpliceWhenPossible"/>.
    /// </summary>
    public PumpMode Pump { get; set; } = PumpMode.Auto;

    /// <summary>Wait for data with a zero-byte read before renting a buffer, so idle connections hold none. Default true.</summary>
    public bool UseZeroByteReads { get; set; } = true;

    /// <summary>A reset on one side resets the other (linger 0); when false the other side gets a FIN. Default true.</summary>
    public bool PropagateResets { get; set; } = true;

    /// <summary>Cluster for connections whose first bytes are not TLS; null (default) closes them with <see cref="CloseCause.NotTls"/>.</summary>
    public string? NotTlsCluster { get; set; }

    /// <summary>Cluster for connections with a malformed ClientHello; null (default) closes them.</summary>
    public string? MalformedCluster { get; set; }

    /// <summary>Cluster for TLS connections no route matches; null (default) closes them with <see cref="CloseCause.NoRoute"/>.</summary>
    public string? NoRouteCluster { get; set; }

    /// <summary>SNI routes for the built-in resolver, matched exact first, then longest <c>*.suffix</c>, then <c>*</c>.</summary>
    [ValidateEnumeratedItems]
    public IList<ForwardRouteOptions> Routes { get; } = [];

    /// <summary>Clusters by name, referenced from <see cref="Routes"/> and the fallback cluster settings.</summary>
    public IDictionary<string, UpstreamClusterOptions> Clusters { get; } = new Dictionary<string, UpstreamClusterOptions>(StringComparer.Ordinal);
}
