using System.Globalization;
using System.Net;
using MeshGateway.Forwarding;

// Managed allocation per forwarded chunk and per churned connection (benchmarks/results/allocations.md), all
// threads counted (GC.GetTotalAllocatedBytes(precise: true)), the forwarder in-process, the C sink of
// ../shared/tools/peer-bench as the backend:
//   /tmp/pb/sink -l 127.0.0.1:19211 -t 3600 &       (bulk: counts and answers the count on EOF; -t: it exits after 900 s otherwise)
//   dotnet run -c Release --project benchmarks/peers/stream-allocs -- stream <repo root> 127.0.0.1:19211 HOST PUMP [bytes=2e9] [warm=5e8] [rounds=3] [ticks]
//   /tmp/pb/sink -l 127.0.0.1:19212 -n -t 3600 &    (churn: closes without a count)
//   dotnet run -c Release --project benchmarks/peers/stream-allocs -- churn <repo root> 127.0.0.1:19212 HOST PUMP [connections=20000] [ticks]
//   dotnet run -c Release --project benchmarks/peers/stream-allocs -- serve <repo root> 127.0.0.1:19212 HOST PUMP listen=127.0.0.1:19230
// HOST = listener | runtime | kestrel (see ForwarderHost), PUMP = copy | splice. "stream" runs every cell of
// {1, 4 streams} × {16 KiB, 64 KiB writes} `rounds` times, each after a warm-up stream of the same shape, once straight to the sink
// and once through the forwarder; "churn" does the same for connections. "serve" only hosts the forwarder, for
// CPU measurements with the C load generator (benchmarks/peers/host-cpu.sh). "ticks" lists the types GC
// allocation ticks (one per ~100 KB) saw during the forwarded runs.
string mode = args[0];
string root = args[1];
EndPoint backend = IPEndPoint.Parse(args[2]);
string host = args[3];
PumpMode pump = args[4] switch
{
    "copy" => PumpMode.Copy,
    "splice" => PumpMode.SpliceWhenPossible,
    _ => throw new ArgumentException("PUMP must be copy or splice"),
};
bool ticks = args.Contains("ticks");
byte[] hello = File.ReadAllBytes(Path.Combine(root, "tests/TestData/client-hellos/curl.bin"));
IPEndPoint listen = IPEndPoint.Parse(Option("listen", "127.0.0.1:0"));

await using ForwarderHost forwarder = await ForwarderHost.StartAsync(host, pump, backend, listen);
switch (mode)
{
    case "stream":
        Stream();
        break;
    case "churn":
        await ChurnAsync();
        break;
    case "serve":
        Console.WriteLine($"listening={forwarder.EndPoint}");
        var stop = new TaskCompletionSource();
        using (System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, c =>
        {
            c.Cancel = true;
            stop.TrySetResult();
        }))
        {
            await stop.Task;
        }

        break;
    default:
        throw new ArgumentException("mode must be stream, churn or serve");
}

return 0;

void Stream()
{
    long bytes = (long)double.Parse(Option("bytes", "2e9"), CultureInfo.InvariantCulture);
    long warm = (long)double.Parse(Option("warm", "5e8"), CultureInfo.InvariantCulture);
    int rounds = int.Parse(Option("rounds", "3"), CultureInfo.InvariantCulture);
    Console.WriteLine($"host={host} pump={args[4]} bytes={bytes} warm={warm}");
    Console.WriteLine("streams chunk chunks direct_B forwarded_B added_B_per_chunk added_B_per_MB teardown_B_per_stream fwd_idle_B_per_s fwd_GBps");
    int[] streamCounts = [1, 4];
    int[] chunkSizes = [16 * 1024, 64 * 1024];
    foreach ((int streams, int chunk) in from s in streamCounts from c in chunkSizes from r in Enumerable.Range(0, rounds) select (s, c))
    {
        BulkStreams.Run(backend, hello, streams, chunk, warm);
        BulkStreams.Window direct = BulkStreams.Run(backend, hello, streams, chunk, bytes);
        BulkStreams.Run(forwarder.EndPoint, hello, streams, chunk, warm, () => forwarder.Forwarder.ActiveConnections);
        using AllocationTicks? tickListener = ticks ? new AllocationTicks() : null;
        BulkStreams.Window through = BulkStreams.Run(forwarder.EndPoint, hello, streams, chunk, bytes, () => forwarder.Forwarder.ActiveConnections);
        long added = through.Streaming - direct.Streaming;
        double megabytes = through.Chunks * (double)chunk / 1e6;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{streams} {chunk} {through.Chunks} {direct.Streaming} {through.Streaming} {added / (double)through.Chunks:F3} {added / megabytes:F3} " +
            $"{(through.Teardown - direct.Teardown) / (double)streams:F0} {through.IdlePerSecond} {megabytes / 1e3 / through.Seconds:F2}"));
        PrintTicks(tickListener);
    }
}

async Task ChurnAsync()
{
    int connections = int.Parse(Option("connections", "20000"), CultureInfo.InvariantCulture);
    int warmFailures = await ChurnClients.RunAsync(forwarder.EndPoint, hello, 2_000); // warm-up: JIT, pools, first dial
    await forwarder.WaitIdleAsync();
    await ChurnClients.RunAsync(backend, hello, 2_000);
    (long direct, int directFailures) = await MeasureAsync(backend);
    using AllocationTicks? tickListener = ticks ? new AllocationTicks() : null;
    (long forwarded, int failures) = await MeasureAsync(forwarder.EndPoint);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"host={host} pump={args[4]} connections={connections} direct_B_per_conn={direct / (double)connections:F0} " +
        $"through_forwarder_B_per_conn={forwarded / (double)connections:F0} forwarder_added_B_per_conn={(forwarded - direct) / (double)connections:F0} " +
        $"no_answer_warmup={warmFailures} no_answer_direct={directFailures} no_answer={failures}"));
    PrintTicks(tickListener);

    async Task<(long Allocated, int Failures)> MeasureAsync(EndPoint target)
    {
        await Task.Delay(200);
        long before = GC.GetTotalAllocatedBytes(precise: true);
        int failed = await ChurnClients.RunAsync(target, hello, connections);
        await forwarder.WaitIdleAsync();
        await Task.Delay(200);
        return (GC.GetTotalAllocatedBytes(precise: true) - before, failed);
    }
}

string Option(string name, string fallback) =>
    args.FirstOrDefault(a => a.StartsWith(name + "=", StringComparison.Ordinal))?[(name.Length + 1)..] ?? fallback;

static void PrintTicks(AllocationTicks? ticks)
{
    if (ticks is null)
    {
        return;
    }

    foreach (KeyValuePair<string, long> type in ticks.Snapshot().OrderByDescending(t => t.Value).Take(20))
    {
        Console.WriteLine($"    {type.Value,8} {type.Key}");
    }
}
