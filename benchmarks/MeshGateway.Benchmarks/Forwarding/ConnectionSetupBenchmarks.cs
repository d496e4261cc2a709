using System.Net;
using System.Net.Sockets;
using BenchmarkDotNet.Attributes;
using MeshGateway.Forwarding;
using MeshGateway.Testing;

namespace MeshGateway.Benchmarks.Forwarding;

/// <summary>
/// One connection's whole life with a real captured ClientHello (Chromium, 2 KiB): connect, send the hello,
/// sniff, route by SNI, dial, replay, upstream reads the hello, both close. Direct is the same without the
/// forwarder (the upstream still reads the hello).
/// </summary>
public class ConnectionSetupBenchmarks
{
    private readonly byte[] _sink = new byte[64 * 1024];
    private byte[] _hello = null!;
    private Socket _upstreamListener = null!;
    private TcpForwarder _forwarder = null!;
    private ForwarderListener _listener = null!;

    [GlobalSetup]
    public void Setup()
    {
        _hello = CaptureFiles.ClientHello("chromium.bin");
        _upstreamListener = Loopback.Listen(backlog: 512);
        var options = new ForwarderOptions();
        var cluster = new UpstreamClusterOptions();
        cluster.Endpoints.Add(_upstreamListener.LocalEndPoint!.ToString()!);
        options.Clusters["dc2"] = cluster;
        options.Routes.Add(new ForwardRouteOptions { Sni = "*.dc2.internal.11111111-2222-3333-4444-555555555555.consul", Cluster = "dc2" });
        _forwarder = new TcpForwarderBuilder(options).Build();
        _listener = new ForwarderListener(_forwarder, new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Start();
    }

    [GlobalCleanup]
    public async Task Cleanup()
    {
        await _listener.DisposeAsync();
        await _forwarder.DisposeAsync();
        _upstreamListener.Dispose();
    }

    [Benchmark(Baseline = true)]
    public Task<long> Direct() => OneConnectionAsync(_upstreamListener.LocalEndPoint!);

    [Benchmark]
    public Task<long> Through_forwarder() => OneConnectionAsync(_listener.LocalEndPoint!);

    private async Task<long> OneConnectionAsync(EndPoint target)
    {
        using Socket client = await LoopbackSockets.ConnectAsync(target, CancellationToken.None);
        await LoopbackSockets.SendAllAsync(client, _hello, CancellationToken.None);
        client.Shutdown(SocketShutdown.Send);
        using Socket upstream = await _upstreamListener.AcceptAsync();
        long received = await LoopbackSockets.DrainAsync(upstream, _sink, CancellationToken.None);
        upstream.Shutdown(SocketShutdown.Send);
        await LoopbackSockets.DrainAsync(client, _sink, CancellationToken.None);
        return received;
    }
}
