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

    [LoggerMessage(24, LogLevel.Warning, "Subset {Subset} of service {Service} gets no route: {Reason}")]
    public static partial void SubsetSkipped(ILogger logger, string service, string subset, string reason);

    /// <summary>Text from Consul (names, filters) as a log shows it: characters outside printable ASCII escaped as <c>\uNNNN</c>.</summary>
    public static string Printable(string text)
    {
        if (text.All(c => c is >= ' ' and < (char)0x7F))
        {
            return text;
        }

        var builder = new System.Text.StringBuilder(text.Length + 8);
        foreach (char c in text)
        {
            _ = c is >= ' ' and < (char)0x7F
                ? builder.Append(c)
                : builder.Append("\\u").Append(((int)c).ToString("X4", System.Globalization.CultureInfo.InvariantCulture));
        }

        return builder.ToString();
    }
}
