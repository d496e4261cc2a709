namespace MeshGateway.Consul.Watch;

/// <summary>What <see cref="ConsulMeshWatcher"/> watches and how; every value has a documented default.</summary>
public sealed record ConsulMeshWatcherOptions
{
    /// <summary>Consul's <c>http_max_conns_per_client</c> default: the most HTTP connections one client may hold.</summary>
    public const int ConsulDefaultMaxConnectionsPerClient = 200;

    /// <summary>The gateway's datacenter; null takes <see cref="Client.ConsulClientOptions.Datacenter"/>. Required one way or the other.</summary>
    public string? Datacenter { get; init; }

    /// <summary>The trust domain; null reads it from <c>/v1/connect/ca/roots</c> (and follows it).</summary>
    public string? TrustDomain { get; init; }

    /// <summary>The service name other datacenters' mesh gateways register under (default <c>mesh-gateway</c>).</summary>
    public string GatewayServiceName { get; init; } = "mesh-gateway";

    /// <summary>The <c>wait</c> of each blocking query (default 5 minutes, Consul's own default; at most 10 minutes).</summary>
    public TimeSpan WaitTime { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Added to wait + wait/16 before a query is given up (default 10 seconds).</summary>
    public TimeSpan TimeoutMargin { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The most blocking queries in flight at once (default 64, well under Consul's
    /// <see cref="ConsulDefaultMaxConnectionsPerClient"/>; at most that). Watches beyond it wait for a free slot.
    /// </summary>
    public int MaxConcurrentQueries { get; init; } = 64;

    /// <summary>The backoff ceiling after a first failure (default 1 second); it doubles per failure.</summary>
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The largest backoff ceiling (default 1 minute).</summary>
    public TimeSpan RetryMaxDelay { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Whether to read <c>proxy-defaults</c>, <c>service-defaults</c> and <c>service-resolver</c> config entries (default true).</summary>
    public bool WatchConfigEntries { get; init; } = true;

    /// <summary>The clock for backoff delays and <see cref="ConsulConnectionStatus.LastContact"/> (default the system clock).</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Every error in these options (empty when valid).</summary>
    /// <param name="clientDatacenter">The datacenter of the client options, used when <see cref="Datacenter"/> is null.</param>
    /// <returns>The errors, one sentence each.</returns>
    public IReadOnlyList<string> Validate(string? clientDatacenter)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(Datacenter ?? clientDatacenter))
        {
            errors.Add("the gateway's datacenter is required (ConsulMeshWatcherOptions.Datacenter or ConsulClientSettings.Datacenter)");
        }

        if (string.IsNullOrWhiteSpace(GatewayServiceName) || GatewayServiceName.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')))
        {
            errors.Add($"the gateway service name '{GatewayServiceName}' may hold only letters, digits, '-', '_' and '.'");
        }

        if (TrustDomain is not null && Uri.CheckHostName(TrustDomain) != UriHostNameType.Dns)
        {
            errors.Add($"the trust domain '{TrustDomain}' is not a DNS name");
        }

        if (WaitTime < TimeSpan.FromSeconds(1) || WaitTime > TimeSpan.FromMinutes(10))
        {
            errors.Add($"WaitTime must be between 1 second and 10 minutes (Consul's limit), not {WaitTime}");
        }

        if (TimeoutMargin <= TimeSpan.Zero)
        {
            errors.Add($"TimeoutMargin must be positive, not {TimeoutMargin}");
        }

        if (MaxConcurrentQueries is < 1 or > ConsulDefaultMaxConnectionsPerClient)
        {
            errors.Add($"MaxConcurrentQueries must be between 1 and {ConsulDefaultMaxConnectionsPerClient} (Consul's http_max_conns_per_client default), not {MaxConcurrentQueries}");
        }

        if (RetryBaseDelay <= TimeSpan.Zero || RetryMaxDelay < RetryBaseDelay)
        {
            errors.Add($"RetryBaseDelay must be positive and at most RetryMaxDelay (now {RetryBaseDelay} and {RetryMaxDelay})");
        }

        if (TimeProvider is null)
        {
            errors.Add("TimeProvider is required");
        }

        return errors;
    }
}
