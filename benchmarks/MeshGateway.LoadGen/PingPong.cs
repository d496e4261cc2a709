using System.Diagnostics;
using System.Net.Sockets;

namespace MeshGateway.LoadGen;

/// <summary>Request latency through the proxy: N round trips of B bytes on one connection; p50/p99/p999 in µs.</summary>
internal static class PingPong
{
    public static async Task<int> RunAsync(LoadOptions options, CancellationToken cancellationToken)
    {
        var target = options.EndPoint("target");
        byte[] hello = options.Hello();
        int roundTrips = options.Int("round-trips", 100_000);
        byte[] message = new byte[options.Int("size", 64)];
        byte[] reply = new byte[message.Length];
        using var socket = await Net.ConnectAsync(target, cancellationToken);
        await socket.SendAsync(hello, SocketFlags.None, cancellationToken);
        await Net.ReadExactlyAsync(socket, new byte[hello.Length], cancellationToken);

        long[] ticks = new long[roundTrips];
        for (int i = 0; i < roundTrips; i++)
        {
            long start = Stopwatch.GetTimestamp();
            await socket.SendAsync(message, SocketFlags.None, cancellationToken);
            await Net.ReadExactlyAsync(socket, reply, cancellationToken);
            ticks[i] = Stopwatch.GetTimestamp() - start;
        }

        Array.Sort(ticks);
        double Us(double q) => ticks[(int)Math.Min(ticks.Length - 1, q * ticks.Length)] * 1e6 / Stopwatch.Frequency;
        Console.WriteLine($"mode=pingpong round_trips={roundTrips} size={message.Length} p50_us={Net.Rate(Us(0.50))} p99_us={Net.Rate(Us(0.99))} p999_us={Net.Rate(Us(0.999))}");
        return 0;
    }
}
