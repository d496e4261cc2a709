using System.Diagnostics;
using System.Net.Sockets;

namespace MeshGateway.LoadGen;

/// <summary>
/// One-way bulk throughput for the peer benchmark (the shape of <c>iperf3</c>, but through SNI routing): per stream,
/// the hello, then one fixed buffer sent over and over for S seconds, then a FIN; the backend (<see cref="Sink"/>)
/// discards. Nothing is generated or hashed, so the load core spends its time in the kernel, like the proxy's.
/// </summary>
internal static class Blast
{
    public static async Task<int> RunAsync(LoadOptions options, CancellationToken cancellationToken)
    {
        var target = options.EndPoint("target");
        byte[] hello = options.Hello();
        int streams = options.Int("streams", 1);
        var duration = TimeSpan.FromSeconds(options.Int("seconds", 8));
        var clock = Stopwatch.StartNew();
        long[] sent = await Task.WhenAll(Enumerable.Range(0, streams).Select(_ => Task.Run(() => OneStreamAsync(target, hello, duration, cancellationToken), cancellationToken)));
        double seconds = clock.Elapsed.TotalSeconds;
        long total = sent.Sum();
        Console.WriteLine($"mode=blast streams={streams} bytes={total} seconds={Net.Rate(seconds)} gbps={Net.Rate(total * 8 / seconds / 1e9)}");
        return 0;
    }

    private static async Task<long> OneStreamAsync(System.Net.IPEndPoint target, byte[] hello, TimeSpan duration, CancellationToken cancellationToken)
    {
        using var socket = await Net.ConnectAsync(target, cancellationToken);
        await socket.SendAsync(hello, SocketFlags.None, cancellationToken);
        byte[] chunk = new byte[256 * 1024];
        long total = 0;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < duration)
        {
            total += await socket.SendAsync(chunk, SocketFlags.None, cancellationToken);
        }

        socket.Shutdown(SocketShutdown.Send);
        byte[] drain = new byte[64];
        while (await socket.ReceiveAsync(drain, SocketFlags.None, cancellationToken) > 0)
        {
        }

        return total;
    }
}
