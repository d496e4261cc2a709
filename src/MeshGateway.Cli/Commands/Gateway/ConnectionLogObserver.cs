using System.Globalization;
using MeshGateway.Forwarding;

namespace MeshGateway.Cli.Commands.Gateway;

/// <summary>Writes one line per closed connection: who, which SNI and route, the close reason, bytes, duration.</summary>
internal sealed class ConnectionLogObserver(TextWriter output) : IForwarderObserver
{
    public void OnClosed(ForwardingContext context, ForwardingResult result)
    {
        string line = string.Create(
            CultureInfo.InvariantCulture,
            $"closed {context.RemoteEndPoint?.ToString() ?? "-"} sni={context.ClientHello?.ServerName ?? "-"} route={context.Route?.Id ?? "-"} upstream={context.Upstream?.ToString() ?? "-"} reason={result.Cause} phase={result.Phase} from_client={result.BytesFromClient} to_client={result.BytesToClient} duration_ms={result.Duration.TotalMilliseconds:0}");
        lock (output)
        {
            output.WriteLine(line);
            output.Flush();
        }
    }
}
