using System.Net;
using System.Net.Sockets;
using BenchmarkDotNet.Attributes;
using MeshGateway.Forwarding;
using MeshGateway.Testing;

namespace MeshGateway.Benchmarks.Forwarding;

/// <summary>
/// 16 MiB client → upstream on one loopback connection: direct (no forwarder) against the forwarder with
/// 64 KiB and 16 KiB splice buffers. Loopback and a shared 2-core box: read it relatively.
/// </summary>
public class ForwardingThroughputBenchmarks
{
    private const int Payload = 16 * 1024 * 1024;
    private readonly byte[] _chunk = new byte[256 * 1024];
    private readonly byte[] _sink = new byte[256 * 1024];
    private Socket _upstreamListener = null!;
    private TcpForwarder _forwarder64 = null!;
    private TcpForwarder _forwarder16 = null!;
    private ForwarderListener _listener64 = null!;
    private ForwarderListener _listener16 = null!;

    [GlobalSetup]
    public void Setup()
    {
        Random.Shared.NextBytes(_chunk);
        _upstreamListener = Loopback.Listen(backlog: 512);
        (_forwarder64, _listener64) = Start(64 * 1024);
        (_forwarder16, _listener16) = Start(16 * 1024);
    }

    [GlobalCleanup]
    public async Task Cleanup()
    {
        await _listener64.DisposeAsync();
        await _listener16.DisposeAsync();
        await _forwarder64.DisposeAsync();
        await _forwarder16.DisposeAsync();
        _upstreamListener.Dispose();
    }

    [Benchmark(Baseline = true)]
    public Task<long> Direct() => TransferAsync(_upstreamListener.LocalEndPoint!);

    [Benchmark]
    public Task<long> Forwarder_64KiB_buffers() => TransferAsync(_listener64.LocalEndPoint!);

    [Benchmark]
    public Task<long> Forwarder_16KiB_buffers() => TransferAsync(_listener16.LocalEndPoint!);

    private (TcpForwarder, ForwarderListener) Start(int bufferSize)
    {
        var options = new ForwarderOptions { BufferSize = bufferSize };
        TcpForwarder forwarder = new TcpForwarderBuilder(options)
            .UseSniffing(false)
            .UseRouteResolver(new StaticRouteResolver(new ForwardRoute("bench", new UpstreamCluster("bench", [new UpstreamEndpoint(_upstreamListener.LocalEndPoint!)]))))
            .Build();
        var listener = new ForwarderListener(forwarder, new IPEndPoint(IPAddress.Loopback, 0));
        listener.Start();
        return (forwarder, listener);
    }

    private async Task<long> TransferAsync(EndPoint target)
    {
        using Socket client = await LoopbackSockets.ConnectAsync(target, CancellationToken.None);
        using Socket upstream = await _upstreamListener.AcceptAsync();
        Task<long> received = LoopbackSockets.DrainAsync(upstream, _sink, CancellationToken.None);
        for (int sent = 0; sent < Payload; sent += _chunk.Length)
        {
            await LoopbackSockets.SendAllAsync(client, _chunk, CancellationToken.None);
        }

        client.Shutdown(SocketShutdown.Send);
        return await received;
    }
}
