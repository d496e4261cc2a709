using System.Diagnostics;
using System.Net;
using MeshGateway.Forwarding;

// Managed memory per connection that has sent nothing, in-process so that the heap can be read exactly:
//   dotnet run -c Release --project benchmarks/peers/silent-allocs -- <repo root> [connections] [ticks]
// A TcpForwarder with the defaults behind a ForwarderListener; silent_conns.py (a separate process) opens the
// connections and sends nothing. Reported per connection: bytes allocated while they were accepted (all threads),
// and bytes still live once they are all held (the heap after a full collection, before and after). "ticks" lists
// the types GC allocation ticks (one per ~100 KB) saw.
string root = args[0];
int connections = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 5_000;
bool ticks = args.Contains("ticks");

TcpForwarder forwarder = new TcpForwarderBuilder(new ForwarderOptions()).Build();
var listener = new ForwarderListener(forwarder, new IPEndPoint(IPAddress.Loopback, 0));
listener.Start();
string target = listener.LocalEndPoint!.ToString();

await HoldAsync(200); // warm-up: JIT, pools, the runtime's socket engine
long live0 = LiveBytes();
long allocated0 = GC.GetTotalAllocatedBytes(precise: true);
using AllocationTicks? tickListener = ticks ? new AllocationTicks() : null;
using Process client = Open(connections);
await WaitAsync(() => forwarder.ActiveConnections >= connections);
await Task.Delay(200);
long allocated = GC.GetTotalAllocatedBytes(precise: true) - allocated0;
long live = LiveBytes() - live0;
int held = forwarder.ActiveConnections;
Console.WriteLine(
    $"connections={held} allocated_bytes_per_conn={allocated / (double)held:F0} live_bytes_per_conn={live / (double)held:F0}");
if (tickListener is not null)
{
    foreach (KeyValuePair<string, long> type in tickListener.Snapshot().OrderByDescending(t => t.Value).Take(30))
    {
        Console.WriteLine($"  {type.Value,8} {type.Key}");
    }
}

client.Kill();
await WaitAsync(() => forwarder.ActiveConnections == 0);
await listener.DisposeAsync();
await forwarder.DisposeAsync();
return 0;

static long LiveBytes()
{
    GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
    GC.WaitForPendingFinalizers();
    GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
    return GC.GetTotalMemory(forceFullCollection: false);
}

async Task HoldAsync(int count)
{
    using Process warm = Open(count);
    await WaitAsync(() => forwarder.ActiveConnections >= count);
    warm.Kill();
    await WaitAsync(() => forwarder.ActiveConnections == 0);
}

Process Open(int count) =>
    Process.Start(new ProcessStartInfo("python3")
    {
        ArgumentList = { "-I", Path.Combine(root, "benchmarks/peers/silent_conns.py"), "open", "--target", target, "--connections", $"{count}", "--rate", "2000" },
        RedirectStandardOutput = true,
    })!;

static async Task WaitAsync(Func<bool> condition)
{
    for (int i = 0; i < 3000 && !condition(); i++)
    {
        await Task.Delay(10);
    }
}
