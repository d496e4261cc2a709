using System.Globalization;
using MeshGateway.Forwarding;

namespace MeshGateway.Cli.Commands.Gateway;

/// <summary>
/// Writes one line per closed connection: who, which SNI and route, the close reason, bytes, duration. Lines go
/// through a <see cref="ConnectionLogWriter"/> (a bounded queue, one background writer, dropped and counted when
/// full), so the connection being closed never waits on the output. Client-chosen values (the SNI) are written by
/// <see cref="LogfmtValue"/> rules, so no byte of them can start a line or a field.
/// </summary>
internal sealed class ConnectionLogObserver(ConnectionLogWriter log) : IForwarderObserver, INonBlockingStage
{
    public void OnClosed(ForwardingContext context, ForwardingResult result) => log.TryWrite(Format(context, result));

    /// <summary>The <c>closed …</c> line of one connection.</summary>
    public static string Format(ForwardingContext context, ForwardingResult result) => string.Create(
        CultureInfo.InvariantCulture,
        $"closed {LogfmtValue.Format(context.RemoteEndPoint?.ToString())} sni={LogfmtValue.Format(context.ClientHello?.ServerName)} route={LogfmtValue.Format(context.Route?.Id)} upstream={LogfmtValue.Format(context.Upstream?.ToString())} reason={result.Cause} phase={result.Phase} from_client={result.BytesFromClient} to_client={result.BytesToClient} duration_ms={result.Duration.TotalMilliseconds:0}");
}
