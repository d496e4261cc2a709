using System.Diagnostics;

namespace MeshGateway.LoadGen;

/// <summary>
/// Connection churn through an SNI-routing proxy: connect, send a real ClientHello, read the backend's first bytes
/// (its banner, which proves the proxy routed and dialled), close. Reports connections per second.
/// </summary>
internal static class Churn
{
    public static async Task<int> RunAsync(LoadOptions options, CancellationToken cancellationToken)
    {
        var target = options.EndPoint("target");
        byte[] hello = options.Hello();
        int banner = options.Int("banner", 1);
        int concurrency = options.Int("concurrency", 32);
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timer.CancelAfter(TimeSpan.FromSeconds(options.Int("seconds", 10)));
        long completed = 0, failed = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            byte[] first = new byte[banner];
            while (!timer.IsCancellationRequested)
            {
                try
                {
                    using var socket = await Net.ConnectAsync(target, timer.Token);
                    await socket.SendAsync(hello, System.Net.Sockets.SocketFlags.None, timer.Token);
                    await Net.ReadExactlyAsync(socket, first, timer.Token);
                    Interlocked.Increment(ref completed);
                }
                catch (OperationCanceledException) when (timer.IsCancellationRequested)
                {
                    break;
                }
                catch (Exception e) when (e is System.Net.Sockets.SocketException or EndOfStreamException)
                {
                    Interlocked.Increment(ref failed);
                }
            }
        })));
        double seconds = clock.Elapsed.TotalSeconds;
        Console.WriteLine($"mode=churn connections={completed} failed={failed} seconds={Net.Rate(seconds)} per_second={Net.Rate(completed / seconds)}");
        return failed == 0 && completed > 0 ? 0 : 1;
    }
}
