using System.Net;
using System.Net.Sockets;
using BenchmarkDotNet.Attributes;
using MeshGateway.Forwarding;
using MeshGateway.Testing;

namespace MeshGateway.Benchmarks.Forwarding;

/// <summary>
/// The steady state of one streaming connection: each operation is one 64 KiB chunk written by the client, moved
/// by the forwarder's pump and read back at the upstream. The connection is set up once, so the Allocated column
/// (BenchmarkDotNet counts every thread's allocations) is what the pump allocates per forwarded chunk: the target
/// is 0 B in both pump modes. The client and upstream use synchronous socket calls, which allocate nothing.
/// </summary>
public class SteadyStateChunkBenchmarks
{
    private const int Chunk = 64 * 1024;
    private const int ChunksPerInvoke = 16;
    private readonly byte[] _chunk = new byte[Chunk];
    private readonly byte[] _sink = new byte[Chunk];
    private Socket _upstreamListener = null!;
    private TcpForwarder _forwarder = null!;
    private ForwarderListener _listener = null!;
    private Socket _client = null!;
    private Socket _upstream = null!;

    /// <summary>The pump under test.</summary>
    [Params(PumpMode.Copy, PumpMode.SpliceWhenPossible)]
    public PumpMode Pump { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _upstreamListener = Loopback.Listen(backlog: 512);
        var options = new ForwarderOptions { Pump = Pump };
        _forwarder = new TcpForwarderBuilder(options)
            .UseSniffing(false)
            .UseRouteResolver(new StaticRouteResolver(new ForwardRoute("bench", new UpstreamCluster("bench", [new UpstreamEndpoint(_upstreamListener.LocalEndPoint!)]))))
            .Build();
        _listener = new ForwarderListener(_forwarder, new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Start();
        _client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        _client.Connect(_listener.LocalEndPoint!);
        _upstream = _upstreamListener.Accept();
    }

    [GlobalCleanup]
    public async Task Cleanup()
    {
        _client.Dispose();
        _upstream.Dispose();
        await _listener.DisposeAsync();
        await _forwarder.DisposeAsync();
        _upstreamListener.Dispose();
    }

    /// <summary>One 64 KiB chunk client → forwarder → upstream, per operation.</summary>
    [Benchmark(OperationsPerInvoke = ChunksPerInvoke)]
    public int Forward_64KiB_chunk()
    {
        int total = 0;
        for (int i = 0; i < ChunksPerInvoke; i++)
        {
            _client.Send(_chunk);
            for (int received = 0; received < Chunk;)
            {
                int read = _upstream.Receive(_sink, received, Chunk - received, SocketFlags.None);
                received += read;
                total += read;
            }
        }

        return total;
    }
}
