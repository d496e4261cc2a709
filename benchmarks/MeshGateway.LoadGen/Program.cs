namespace MeshGateway.LoadGen;

/// <summary>
/// <c>meshgw-loadgen MODE [--key value]...</c>. Modes:
/// <list type="bullet">
/// <item><c>echo --listen HOST:PORT [--banner N]</c>: the backend; writes N bytes first, then echoes until the client half-closes.</item>
/// <item><c>churn --target HOST:PORT --hello FILE [--seconds S] [--concurrency C]</c>: connect, send the hello, read the banner, close.</item>
/// <item><c>bulk --target HOST:PORT --hello FILE [--megabytes M] [--streams K]</c>: M MiB each way per stream, SHA-256 checked.</item>
/// <item><c>hold --target HOST:PORT --hello FILE [--connections N] [--seconds S]</c>: N connections open at once, then released.</item>
/// <item><c>pingpong --target HOST:PORT --hello FILE [--round-trips N] [--size B]</c>: latency percentiles of N round trips.</item>
/// <item><c>sink --listen HOST:PORT</c>: the backend for blast; discards everything.</item>
/// <item><c>blast --target HOST:PORT --hello FILE [--seconds S] [--streams K]</c>: one-way bulk for S seconds, one fixed buffer, no hashing.</item>
/// <item><c>faults --target HOST:PORT --hello FILE [--seconds S] [--concurrency C]</c>: resets, early FINs, plaintext and stalls.</item>
/// </list>
/// Every client mode prints one line of <c>key=value</c> results and exits 1 if any connection failed its check.
/// </summary>
internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        if (args.Length == 0)
        {
            Console.Error.WriteLine("usage: meshgw-loadgen echo|sink|churn|bulk|blast|hold|pingpong|faults [--key value]...");
            return 2;
        }

        var options = LoadOptions.Parse(args.AsSpan(1));
        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };
        return args[0] switch
        {
            "echo" => await EchoServer.RunAsync(options, stop.Token),
            "sink" => await Sink.RunAsync(options, stop.Token),
            "blast" => await Blast.RunAsync(options, stop.Token),
            "churn" => await Churn.RunAsync(options, stop.Token),
            "bulk" => await Bulk.RunAsync(options, stop.Token),
            "hold" => await Hold.RunAsync(options, stop.Token),
            "pingpong" => await PingPong.RunAsync(options, stop.Token),
            "faults" => await Faults.RunAsync(options, stop.Token),
            _ => Usage(args[0]),
        };
    }

    private static int Usage(string mode)
    {
        Console.Error.WriteLine($"unknown mode '{mode}'");
        return 2;
    }
}
