using System.Net.Sockets;

namespace MeshGateway.LoadGen;

/// <summary>
/// Misbehaving clients for the soak: each connection does one random thing — resets in the middle of the hello,
/// resets mid-stream, half-closes early, sends plaintext instead of TLS, or stalls and goes away. The proxy must
/// survive all of it with no file-descriptor or memory growth; this mode itself checks nothing but counts.
/// </summary>
internal static class Faults
{
    public static async Task<int> RunAsync(LoadOptions options, CancellationToken cancellationToken)
    {
        var target = options.EndPoint("target");
        byte[] hello = options.Hello();
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timer.CancelAfter(TimeSpan.FromSeconds(options.Int("seconds", 10)));
        int[] counts = new int[5];
        await Task.WhenAll(Enumerable.Range(0, options.Int("concurrency", 8)).Select(worker => Task.Run(async () =>
        {
            var random = new Random(worker);
            while (!timer.IsCancellationRequested)
            {
                int action = random.Next(counts.Length);
                try
                {
                    using Socket socket = await Net.ConnectAsync(target, timer.Token);
                    await ActAsync(socket, action, hello, random, timer.Token);
                    Interlocked.Increment(ref counts[action]);
                }
                catch (Exception e) when (e is SocketException or OperationCanceledException or EndOfStreamException)
                {
                    // Faults provoke errors; the counts are what was attempted.
                }
            }
        })));
        Console.WriteLine($"mode=faults reset_mid_hello={counts[0]} reset_mid_stream={counts[1]} early_half_close={counts[2]} plaintext={counts[3]} stall={counts[4]}");
        return 0;
    }

    private static async Task ActAsync(Socket socket, int action, byte[] hello, Random random, CancellationToken cancellationToken)
    {
        switch (action)
        {
            case 0: // part of the hello, then RST
                await socket.SendAsync(hello.AsMemory(0, 1 + random.Next(hello.Length - 1)), SocketFlags.None, cancellationToken);
                socket.LingerState = new LingerOption(true, 0);
                break;
            case 1: // the hello and some data, then RST while data is in flight
                await socket.SendAsync(hello, SocketFlags.None, cancellationToken);
                await socket.SendAsync(new byte[1 + random.Next(256 * 1024)], SocketFlags.None, cancellationToken);
                socket.LingerState = new LingerOption(true, 0);
                break;
            case 2: // the hello, FIN at once, then drain what comes back
                await socket.SendAsync(hello, SocketFlags.None, cancellationToken);
                socket.Shutdown(SocketShutdown.Send);
                byte[] sink = new byte[4096];
                while (await socket.ReceiveAsync(sink, SocketFlags.None, cancellationToken) > 0)
                {
                }

                break;
            case 3: // not TLS
                await socket.SendAsync("GET / HTTP/1.1\r\nHost: x\r\n\r\n"u8.ToArray(), SocketFlags.None, cancellationToken);
                await socket.ReceiveAsync(new byte[1], SocketFlags.None, cancellationToken);
                break;
            default: // a few bytes, a pause, then gone
                await socket.SendAsync(hello.AsMemory(0, 3), SocketFlags.None, cancellationToken);
                await Task.Delay(random.Next(200), cancellationToken);
                break;
        }
    }
}
