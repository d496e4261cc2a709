namespace MeshGateway.Forwarding;

/// <summary>
/// The forwarders' timeouts, defaults as <see cref="ForwarderOptions"/>'s. Each from 1 ms to
/// <see cref="ForwarderOptions.MaxTimeout"/>; <see cref="Drain"/> may be zero. Reloadable: they apply to connections
/// accepted after a change.
/// </summary>
public sealed class MeshGatewayTimeoutOptions
{
    private static readonly ForwarderOptions Defaults = new();

    /// <summary>From accept to a whole ClientHello (<see cref="ForwarderOptions.SniffTimeout"/>). Default 10 s.</summary>
    public TimeSpan Sniff { get; init; } = Defaults.SniffTimeout;

    /// <summary>The route resolver's answer (<see cref="ForwarderOptions.RouteTimeout"/>). Default 5 s.</summary>
    public TimeSpan Route { get; init; } = Defaults.RouteTimeout;

    /// <summary>One connect attempt (<see cref="ForwarderOptions.ConnectTimeout"/>). Default 5 s.</summary>
    public TimeSpan Connect { get; init; } = Defaults.ConnectTimeout;

    /// <summary>No byte either way (<see cref="ForwarderOptions.IdleTimeout"/>). Default 10 min.</summary>
    public TimeSpan Idle { get; init; } = Defaults.IdleTimeout;

    /// <summary>After the first FIN (<see cref="ForwarderOptions.HalfClosedTimeout"/>). Default 60 s.</summary>
    public TimeSpan HalfClosed { get; init; } = Defaults.HalfClosedTimeout;

    /// <summary>How long a stop lets connections finish (<see cref="ForwarderOptions.DrainTimeout"/>). Default 30 s.</summary>
    public TimeSpan Drain { get; init; } = Defaults.DrainTimeout;
}
