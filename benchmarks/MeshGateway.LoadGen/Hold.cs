using System.Net.Sockets;

namespace MeshGateway.LoadGen;

/// <summary>
/// Idle connections held through the proxy: N connections each send the hello and read it echoed back (so the proxy
/// has dialled and spliced every one), stay open S seconds, then close. Prints when all are open, so a script can
/// read the proxy's memory then.
/// </summary>
internal static class Hold
{
    public static async Task<int> RunAsync(LoadOptions options, CancellationToken cancellationToken)
    {
        var target = options.EndPoint("target");
        byte[] hello = options.Hello();
        int count = options.Int("connections", 2000);
        var sockets = new List<Socket>(count);
        int failed = 0;
        using var gate = new SemaphoreSlim(64);
        var opens = Enumerable.Range(0, count).Select(async _ =>
        {
            await gate.WaitAsync(cancellationToken);
            try
            {
                Socket socket = await Net.ConnectAsync(target, cancellationToken);
                await socket.SendAsync(hello, SocketFlags.None, cancellationToken);
                await Net.ReadExactlyAsync(socket, new byte[hello.Length], cancellationToken);
                lock (sockets)
                {
                    sockets.Add(socket);
                }
            }
            catch (Exception e) when (e is SocketException or EndOfStreamException)
            {
                Interlocked.Increment(ref failed);
            }
            finally
            {
                gate.Release();
            }
        });
        await Task.WhenAll(opens);
        Console.WriteLine($"mode=hold open={sockets.Count} failed={failed}");
        Console.Out.Flush();
        await Task.Delay(TimeSpan.FromSeconds(options.Int("seconds", 5)), cancellationToken);
        foreach (Socket socket in sockets)
        {
            socket.Dispose();
        }

        Console.WriteLine("mode=hold released");
        return failed == 0 ? 0 : 1;
    }
}
