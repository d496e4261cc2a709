using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net.Sockets;
using MeshGateway.Forwarding;
using MeshGateway.FunctionalTests.Infrastructure;
using MeshGateway.Testing;

namespace MeshGateway.FunctionalTests.Forwarding;

/// <summary>The MeshGateway.Forwarding meter, read with a MeterListener bound to one forwarder's meter.</summary>
public class MetricsTests
{
    [Fact]
    public async Task Connection_metrics_are_recorded_with_low_cardinality_tags_only()
    {
        using Socket upstreamListener = Loopback.Listen();
        await using var harness = ForwarderHarness.StartPassthrough(null, upstreamListener.LocalEndPoint!);
        Meter meter = harness.Forwarder.Stages.Metrics.Meter;
        var measurements = new ConcurrentQueue<(string Instrument, double Value, Dictionary<string, object?> Tags)>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (ReferenceEquals(instrument.Meter, meter))
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((i, v, tags, _) => measurements.Enqueue((i.Name, v, ToDictionary(tags))));
        listener.SetMeasurementEventCallback<double>((i, v, tags, _) => measurements.Enqueue((i.Name, v, ToDictionary(tags))));
        listener.Start();

        using (Socket client = await harness.ConnectAsync())
        using (Socket upstream = await upstreamListener.AcceptAsync(TestContext.Current.CancellationToken))
        {
            await Loopback.SendAllAsync(client, new byte[1000]);
            await Loopback.ReadExactlyAsync(upstream, 1000);
            await Loopback.SendAllAsync(upstream, new byte[300]);
            await Loopback.ReadExactlyAsync(client, 300);
            client.Shutdown(SocketShutdown.Send);
            await Loopback.ReadToEndAsync(upstream);
            upstream.Shutdown(SocketShutdown.Send);
            await harness.Observer.NextClosedAsync();
        }

        Assert.Equal("MeshGateway.Forwarding", meter.Name);
        var byName = measurements.ToLookup(m => m.Instrument);
        Assert.Equal(0, byName["meshgateway.forwarder.active_connections"].Sum(m => m.Value));
        Assert.Equal(2, byName["meshgateway.forwarder.active_connections"].Count());
        var closed = Assert.Single(byName["meshgateway.forwarder.closed_connections"]);
        Assert.Equal("client_closed", closed.Tags["error.type"]);
        Assert.Equal("half_closed", closed.Tags["meshgateway.forwarder.phase"]);
        Assert.Single(byName["meshgateway.forwarder.connection.duration"]);
        Assert.Equal(1000, byName["meshgateway.forwarder.transferred"].Single(m => (string?)m.Tags["network.io.direction"] == "receive").Value);
        Assert.Equal(300, byName["meshgateway.forwarder.transferred"].Single(m => (string?)m.Tags["network.io.direction"] == "transmit").Value);
        var connect = Assert.Single(byName["meshgateway.forwarder.upstream.connect.duration"]);
        Assert.DoesNotContain("error.type", connect.Tags.Keys);

        // Never a raw address or SNI as a tag.
        string[] allowed = ["error.type", "meshgateway.forwarder.phase", "network.io.direction", "meshgateway.forwarder.sniff_status"];
        Assert.All(measurements, m => Assert.All(m.Tags.Keys, key => Assert.Contains(key, allowed)));
    }

    [Fact]
    public async Task Sniff_duration_is_recorded_with_the_inspection_outcome()
    {
        await using var harness = ForwarderHarness.Start(_ => { });
        Meter meter = harness.Forwarder.Stages.Metrics.Meter;
        var outcomes = new ConcurrentQueue<object?>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (ReferenceEquals(instrument.Meter, meter) && instrument.Name == "meshgateway.forwarder.client_hello.duration")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<double>((_, _, tags, _) => outcomes.Enqueue(ToDictionary(tags)["meshgateway.forwarder.sniff_status"]));
        listener.Start();

        using Socket client = await harness.ConnectAsync();
        await Loopback.SendAllAsync(client, "not tls at all"u8.ToArray());
        await harness.Observer.NextClosedAsync();

        Assert.Equal(["not_tls"], outcomes);
    }

    private static Dictionary<string, object?> ToDictionary(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var result = new Dictionary<string, object?>();
        foreach (var tag in tags)
        {
            result[tag.Key] = tag.Value;
        }

        return result;
    }
}
