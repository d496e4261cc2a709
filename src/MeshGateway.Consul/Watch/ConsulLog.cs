using Microsoft.Extensions.Logging;

namespace MeshGateway.Consul.Watch;

/// <summary>The source's log messages (source-generated; the token never appears in any of them).</summary>
internal static partial class ConsulLog
{
    [LoggerMessage(1, LogLevel.Warning, "Consul query {Path} failed ({Failures} in a row), retrying in {DelayMs} ms: {Error}")]
    public static partial void QueryFailed(ILogger logger, string path, int failures, long delayMs, string error);

    [LoggerMessage(2, LogLevel.Information, "Consul agent at {Address} answered again; the mesh snapshot follows it")]
    public static partial void Reconnected(ILogger logger, Uri address);

    [LoggerMessage(3, LogLevel.Warning, "Consul agent at {Address} is unreachable; the last snapshot (version {Version}) stays in use")]
    public static partial void Disconnected(ILogger logger, Uri address, long version);

    [LoggerMessage(4, LogLevel.Debug, "Consul mesh snapshot {Version}: {Services} local services, {Datacenters} remote datacenters")]
    public static partial void Published(ILogger logger, long version, int services, int datacenters);

    [LoggerMessage(5, LogLevel.Warning, "Consul config entries have {Count} errors; the last good modes stay: {First}")]
    public static partial void ModeErrors(ILogger logger, int count, string first);

    [LoggerMessage(6, LogLevel.Information, "Consul index of {Path} went backwards ({Previous} to {Returned}); reading it afresh")]
    public static partial void IndexReset(ILogger logger, string path, ulong previous, ulong returned);
}
