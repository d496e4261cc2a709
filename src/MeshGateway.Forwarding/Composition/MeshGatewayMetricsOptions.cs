namespace MeshGateway.Forwarding;

/// <summary>
/// Periodic metrics lines (<c>metrics active_connections=N</c>) for hosts that print them (<c>meshgw run</c>, the
/// generic-host service). The <c>MeshGateway.Forwarding</c> meter is there for OpenTelemetry either way.
/// </summary>
public sealed class MeshGatewayMetricsOptions
{
    /// <summary>How often to print; <see langword="null"/> (the default) for never.</summary>
    public TimeSpan? PrintInterval { get; init; }
}
