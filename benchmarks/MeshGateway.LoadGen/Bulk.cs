using System.Diagnostics;
using System.Net.Sockets;
using System.Security.Cryptography;

namespace MeshGateway.LoadGen;

/// <summary>
/// Bulk transfer through the proxy to the echo backend: per stream, the hello then M MiB of seeded random bytes in
/// random write sizes, read back concurrently; the SHA-256 of what came back must equal that of what was sent.
/// </summary>
internal static class Bulk
{
    public static async Task<int> RunAsync(LoadOptions options, CancellationToken cancellationToken)
    {
        var target = options.EndPoint("target");
        byte[] hello = options.Hello();
        long bytes = (long)options.Int("megabytes", 256) * 1024 * 1024;
        int streams = options.Int("streams", 1);
        var clock = Stopwatch.StartNew();
        bool[] ok = await Task.WhenAll(Enumerable.Range(0, streams).Select(i => OneStreamAsync(target, hello, bytes, seed: i, cancellationToken)));
        double seconds = clock.Elapsed.TotalSeconds;
        long total = streams * bytes * 2;
        int failed = ok.Count(x => !x);
        Console.WriteLine($"mode=bulk streams={streams} bytes_each_way={streams * bytes} seconds={Net.Rate(seconds)} gbps={Net.Rate(total * 8 / seconds / 1e9)} integrity_failures={failed}");
        return failed == 0 ? 0 : 1;
    }

    private static async Task<bool> OneStreamAsync(System.Net.IPEndPoint target, byte[] hello, long bytes, int seed, CancellationToken cancellationToken)
    {
        using var socket = await Net.ConnectAsync(target, cancellationToken);
        using var sent = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var received = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Task reader = Task.Run(async () =>
        {
            byte[] buffer = new byte[64 * 1024];
            int read;
            while ((read = await socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken)) > 0)
            {
                received.AppendData(buffer, 0, read);
            }
        }, cancellationToken);

        var random = new Random(seed);
        byte[] chunk = new byte[256 * 1024];
        await socket.SendAsync(hello, SocketFlags.None, cancellationToken);
        sent.AppendData(hello);
        for (long left = bytes; left > 0;)
        {
            int size = (int)Math.Min(left, 1 + random.Next(chunk.Length));
            random.NextBytes(chunk.AsSpan(0, size));
            await socket.SendAsync(chunk.AsMemory(0, size), SocketFlags.None, cancellationToken);
            sent.AppendData(chunk, 0, size);
            left -= size;
        }

        socket.Shutdown(SocketShutdown.Send);
        await reader;
        return sent.GetHashAndReset().AsSpan().SequenceEqual(received.GetHashAndReset());
    }
}
