using System.Diagnostics;
using System.Net;
using MeshGateway.Forwarding;

// Managed memory per held connection, in-process so that the heap can be read exactly:
//   dotnet run -c Release --project benchmarks/peers/silent-allocs -- <repo root> [connections] [ticks] [idle]
// A TcpForwarder with the defaults behind a ForwarderListener; silent_conns.py (a separate process) opens the
// connections and sends nothing, or with "idle" sends the curl ClientHello, gets the backend's one-byte answer (a
// silent_conns.py backend this program starts) and holds. Reported per connection: bytes allocated while they were
// opened (all threads), and bytes still live once they are all held (the heap after a full collection, before and
// after). "ticks" lists the types GC allocation ticks (one per ~100 KB) saw.
string root = args[0];
int connections = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 5_000;
bool ticks = args.Contains("ticks");
bool idle = args.Contains("idle");
string helper = Path.Combine(root, "benchmarks/peers/silent_conns.py");
string hello = Path.Combine(root, "tests/TestData/client-hellos/curl.bin");
const string Backend = "127.0.0.1:19331";

var options = new ForwarderOptions();
var cluster = new UpstreamClusterOptions();
cluster.Endpoints.Add(Backend);
options.Clusters["web"] = cluster;
options.Routes.Add(new ForwardRouteOptions { Sni = "web.default.dc2.internal.11111111-2222-3333-4444-555555555555.consul", Cluster = "web" });
using Process? backend = idle ? Python("backend", "--listen", Backend) : null;
await Task.Delay(idle ? 500 : 0);
TcpForwarder forwarder = new TcpForwarderBuilder(options).Build();
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
    $"mode={(idle ? "idle" : "silent")} connections={held} allocated_bytes_per_conn={allocated / (double)held:F0} live_bytes_per_conn={live / (double)held:F0}");
if (tickListener is not null)
{
    foreach (KeyValuePair<string, long> type in tickListener.Snapshot().OrderByDescending(t => t.Value).Take(30))
    {
        Console.WriteLine($"  {type.Value,8} {type.Key}");
    }
}

client.Kill();
backend?.Kill();
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
    idle
        ? Python("open", "--target", target, "--connections", $"{count}", "--rate", "2000", "--hello", hello)
        : Python("open", "--target", target, "--connections", $"{count}", "--rate", "2000");

Process Python(params string[] arguments)
{
    var start = new ProcessStartInfo("python3") { RedirectStandardOutput = true };
    start.ArgumentList.Add("-I");
    start.ArgumentList.Add(helper);
    foreach (string argument in arguments)
    {
        start.ArgumentList.Add(argument);
    }

    return Process.Start(start)!;
}

static async Task WaitAsync(Func<bool> condition)
{
    for (int i = 0; i < 3000 && !condition(); i++)
    {
        await Task.Delay(10);
    }
}
