using System.Net;
using Microsoft.Extensions.Logging;

namespace MeshGateway.Forwarding;

/// <summary>The forwarder's log messages, source-generated, with fixed event ids. Client-chosen values (the SNI) arrive escaped by <see cref="LogfmtValue"/>.</summary>
internal static partial class ForwarderLog
{
    [LoggerMessage(1, LogLevel.Information, "Forwarder listening on {EndPoint}")]
    public static partial void Listening(ILogger logger, EndPoint? endPoint);

    [LoggerMessage(2, LogLevel.Debug, "Connection {ConnectionId} from {ClientAddress} accepted")]
    public static partial void Accepted(ILogger logger, long connectionId, EndPoint? clientAddress);

    [LoggerMessage(3, LogLevel.Debug, "Connection {ConnectionId} routed: SNI {ServerName}, route {Route}")]
    public static partial void Routed(ILogger logger, long connectionId, string serverName, string route);

    [LoggerMessage(4, LogLevel.Warning, "Connection {ConnectionId}: connect attempt {Attempt} to {Endpoint} failed")]
    public static partial void ConnectAttemptFailed(ILogger logger, long connectionId, int attempt, UpstreamEndpoint endpoint, Exception error);

    [LoggerMessage(5, LogLevel.Debug,
        "Connection {ConnectionId} closed: {Cause} in {Phase}, {BytesFromClient} bytes from client, {BytesToClient} bytes to client, {DurationMs} ms")]
    public static partial void Closed(ILogger logger, long connectionId, CloseCause cause, ForwardingPhase phase, long bytesFromClient, long bytesToClient, double durationMs);

    [LoggerMessage(6, LogLevel.Information, "Connection {ConnectionId} from {ClientAddress} refused: {Cause} (SNI {ServerName})")]
    public static partial void Refused(ILogger logger, long connectionId, EndPoint? clientAddress, CloseCause cause, string serverName);

    [LoggerMessage(7, LogLevel.Error, "Connection {ConnectionId}: unexpected error")]
    public static partial void UnexpectedError(ILogger logger, long connectionId, Exception error);

    [LoggerMessage(8, LogLevel.Error, "Observer {Observer} threw")]
    public static partial void ObserverFailed(ILogger logger, string observer, Exception error);

    [LoggerMessage(9, LogLevel.Information, "Forwarder draining {Count} connection(s), up to {Timeout}")]
    public static partial void Draining(ILogger logger, int count, TimeSpan timeout);

    [LoggerMessage(10, LogLevel.Error, "Accept loop on {EndPoint} failed")]
    public static partial void AcceptFailed(ILogger logger, EndPoint? endPoint, Exception error);

    [LoggerMessage(11, LogLevel.Information, "Routes reloaded: {RouteCount} route(s), {ClusterCount} cluster(s)")]
    public static partial void RoutesReloaded(ILogger logger, int routeCount, int clusterCount);

    [LoggerMessage(12, LogLevel.Error, "Route reload rejected; keeping the previous routes")]
    public static partial void RoutesReloadFailed(ILogger logger, Exception error);

    [LoggerMessage(13, LogLevel.Warning,
        "Connection cap lowered from {Requested} to {Effective}: the descriptor limit is {Limit}, {PerConnection} per connection, {Reserve} reserved (raise ulimit -n to lift it)")]
    public static partial void ConnectionCapClamped(ILogger logger, int requested, int effective, long limit, double perConnection, int reserve);

    [LoggerMessage(14, LogLevel.Warning,
        "Accept on {EndPoint} failed: {Errno}, {OpenDescriptors}/{DescriptorLimit} descriptors in use, {ActiveConnections} connection(s); retrying in {BackoffMs} ms ({Suppressed} more since the last report)")]
    public static partial void AcceptFailedTransient(
        ILogger logger, EndPoint? endPoint, string errno, string openDescriptors, string descriptorLimit, int activeConnections, int backoffMs, long suppressed);

    [LoggerMessage(15, LogLevel.Information, "Accept on {EndPoint} recovered after {Failures} failure(s)")]
    public static partial void AcceptRecovered(ILogger logger, EndPoint? endPoint, long failures);
}
