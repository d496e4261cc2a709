using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using MeshGateway.Forwarding;

// Managed allocation (and first-chance exceptions) per forwarded churn connection, all threads counted:
//   meshgw-loadgen echo --listen 127.0.0.1:19111 --banner 1 &
//   dotnet run -c Release --project benchmarks/peers/churn-allocs -- <repo root> 127.0.0.1:19111 [connections] [ticks] [exceptions]
// The client does what `meshgw-loadgen churn` does (connect, send the curl hello, read the 1-byte banner, close),
// 8 loops, once straight to the backend and once through an in-process TcpForwarder; the difference per
// connection is what the forwarder allocates. "ticks" lists the types GC allocation ticks (every ~100 KB) saw.
string root = args[0];
EndPoint backend = IPEndPoint.Parse(args[1]);
int connections = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 20_000;
bool ticks = args.Contains("ticks");
bool exceptions = args.Contains("exceptions");
byte[] hello = File.ReadAllBytes(Path.Combine(root, "tests/TestData/client-hellos/curl.bin"));

var options = new ForwarderOptions();
var cluster = new UpstreamClusterOptions();
cluster.Endpoints.Add(backend.ToString()!);
options.Clusters["web"] = cluster;
options.Routes.Add(new ForwardRouteOptions { Sni = "web.default.dc2.internal.11111111-2222-3333-4444-555555555555.consul", Cluster = "web" });
TcpForwarder forwarder = new TcpForwarderBuilder(options).Build();
var listener = new ForwarderListener(forwarder, new IPEndPoint(IPAddress.Loopback, 0));
listener.Start();
EndPoint proxy = listener.LocalEndPoint!;

var thrown = new ConcurrentDictionary<string, int>();
bool counting = false;
if (exceptions)
{
    AppDomain.CurrentDomain.FirstChanceException += (_, e) =>
    {
        if (Volatile.Read(ref counting))
        {
            thrown.AddOrUpdate($"{e.Exception.GetType().Name}: {e.Exception.Message}", 1, (_, n) => n + 1);
        }
    };
}

await RunAsync(proxy, 2_000); // warm-up: JIT, pools, first dial
long direct = await MeasureAsync(backend);
using var tickListener = ticks ? new AllocationTicks() : null;
Volatile.Write(ref counting, true);
long forwarded = await MeasureAsync(proxy);
Volatile.Write(ref counting, false);
Console.WriteLine(
    $"connections={connections} direct_bytes_per_conn={direct / (double)connections:F0} " +
    $"through_forwarder_bytes_per_conn={forwarded / (double)connections:F0} forwarder_added_per_conn={(forwarded - direct) / (double)connections:F0}");
foreach (KeyValuePair<string, int> exception in thrown.OrderByDescending(e => e.Value))
{
    Console.WriteLine($"  exception {exception.Value / (double)connections:F2}/conn {exception.Key}");
}

if (tickListener is not null)
{
    foreach (KeyValuePair<string, long> type in tickListener.Snapshot().OrderByDescending(t => t.Value).Take(40))
    {
        Console.WriteLine($"  {type.Value,8} {type.Key}");
    }
}

await listener.DisposeAsync();
await forwarder.DisposeAsync();
return 0;

async Task<long> MeasureAsync(EndPoint target)
{
    await Task.Delay(200);
    long before = GC.GetTotalAllocatedBytes(precise: true);
    await RunAsync(target, connections);
    await Task.Delay(200);
    return GC.GetTotalAllocatedBytes(precise: true) - before;
}

async Task RunAsync(EndPoint target, int count)
{
    await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => LoopAsync(target, count / 8))));
    while (forwarder.ActiveConnections > 0)
    {
        await Task.Delay(10);
    }
}

async Task LoopAsync(EndPoint target, int count)
{
    byte[] banner = new byte[1];
    for (int i = 0; i < count; i++)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(target);
        await socket.SendAsync(hello, SocketFlags.None);
        if (await socket.ReceiveAsync(banner, SocketFlags.None) != 1)
        {
            throw new EndOfStreamException("no banner");
        }
    }
}
