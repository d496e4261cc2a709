using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace MeshGateway.Forwarding;

/// <summary>
/// The forwarder's instruments, on one <see cref="Meter"/> named <see cref="MeterName"/>, with OpenTelemetry-style
/// dotted names and UCUM units. Tags are low-cardinality only (close cause, phase, direction); never the SNI or a
/// client address, which go to logs.
/// </summary>
internal sealed class ForwarderMetrics : IDisposable
{
    public const string MeterName = "MeshGateway.Forwarding";

    private readonly bool _ownsMeter;
    private readonly UpDownCounter<long> _activeConnections;
    private readonly Histogram<double> _connectionDuration;
    private readonly Counter<long> _closedConnections;
    private readonly Counter<long> _transferred;
    private readonly Histogram<double> _sniffDuration;
    private readonly Histogram<double> _connectDuration;

    public ForwarderMetrics(IMeterFactory? meterFactory)
    {
        _ownsMeter = meterFactory is null;
        Meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _activeConnections = Meter.CreateUpDownCounter<long>(
            "meshgateway.forwarder.active_connections", "{connection}", "Connections currently held by the forwarder.");
        _connectionDuration = Meter.CreateHistogram<double>(
            "meshgateway.forwarder.connection.duration", "s", "Time from accept to close.");
        _closedConnections = Meter.CreateCounter<long>(
            "meshgateway.forwarder.closed_connections", "{connection}", "Closed connections by close cause and phase.");
        _transferred = Meter.CreateCounter<long>(
            "meshgateway.forwarder.transferred", "By", "Bytes spliced; receive = client to upstream, transmit = upstream to client.");
        _sniffDuration = Meter.CreateHistogram<double>(
            "meshgateway.forwarder.client_hello.duration", "s", "Time to sniff the ClientHello.");
        _connectDuration = Meter.CreateHistogram<double>(
            "meshgateway.forwarder.upstream.connect.duration", "s", "Time of one upstream connect attempt.");
    }

    public Meter Meter { get; }

    public void ConnectionOpened() => _activeConnections.Add(1);

    public void ConnectionClosed(CloseCause closeCause, ForwardingPhase closePhase, TimeSpan duration, long bytesFromClient, long bytesToClient)
    {
        _activeConnections.Add(-1);
        var cause = new KeyValuePair<string, object?>("error.type", CloseCauseNames.Get(closeCause));
        var phase = new KeyValuePair<string, object?>("meshgateway.forwarder.phase", PhaseNames.Get(closePhase));
        _closedConnections.Add(1, cause, phase);
        _connectionDuration.Record(duration.TotalSeconds, cause);
        if (bytesFromClient > 0)
        {
            _transferred.Add(bytesFromClient, new KeyValuePair<string, object?>("network.io.direction", "receive"));
        }

        if (bytesToClient > 0)
        {
            _transferred.Add(bytesToClient, new KeyValuePair<string, object?>("network.io.direction", "transmit"));
        }
    }

    public void SniffCompleted(TimeSpan elapsed, MeshGateway.ClientHello.ClientHelloStatus status) =>
        _sniffDuration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("meshgateway.forwarder.sniff_status", SniffStatusNames.Get(status)));

    public void ConnectAttempted(TimeSpan elapsed, Exception? error)
    {
        if (error is null)
        {
            _connectDuration.Record(elapsed.TotalSeconds);
        }
        else
        {
            string type = error is System.Net.Sockets.SocketException s ? s.SocketErrorCode.ToString() : error.GetType().Name;
            _connectDuration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("error.type", type));
        }
    }

    public void Dispose()
    {
        if (_ownsMeter)
        {
            Meter.Dispose();
        }
    }

    private static class PhaseNames
    {
        private static readonly string[] Names = Enum.GetNames<ForwardingPhase>().Select(CloseCauseNames.SnakeCase).ToArray();

        public static string Get(ForwardingPhase phase) => Names[(int)phase];
    }

    private static class SniffStatusNames
    {
        private static readonly string[] Names = Enum.GetNames<MeshGateway.ClientHello.ClientHelloStatus>().Select(CloseCauseNames.SnakeCase).ToArray();

        public static string Get(MeshGateway.ClientHello.ClientHelloStatus status) => Names[(int)status];
    }
}
