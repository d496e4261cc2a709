using Microsoft.Extensions.Logging;

namespace MeshGateway.Consul.Gateway;

/// <summary>The gateway adapter's log messages (source-generated).</summary>
internal static partial class ConsulGatewayLog
{
    [LoggerMessage(20, LogLevel.Warning, "Static {Kind} {Name} overrides what Consul says about it")]
    public static partial void StaticWins(ILogger logger, string kind, string name);

    [LoggerMessage(21, LogLevel.Information, "Gateway routes from Consul snapshot {Version}: {Services} local services, {Datacenters} remote datacenters")]
    public static partial void Applied(ILogger logger, long version, int services, int datacenters);

    [LoggerMessage(22, LogLevel.Warning, "Consul snapshot {Version} gives invalid routes; the last routes stay: {Errors}")]
    public static partial void Rejected(ILogger logger, long version, string errors);

    [LoggerMessage(23, LogLevel.Warning, "Consul endpoint {Endpoint} of {Name} has an invalid address or port; left out")]
    public static partial void BadEndpoint(ILogger logger, string name, string endpoint);
}
