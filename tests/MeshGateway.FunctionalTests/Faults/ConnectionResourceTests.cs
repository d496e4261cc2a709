using System.Net.Sockets;
using System.Security.Cryptography;
using MeshGateway.Forwarding;
using MeshGateway.FunctionalTests.Infrastructure;
using MeshGateway.Testing;

namespace MeshGateway.FunctionalTests.Faults;

/// <summary>
/// The process-wide resource checks (file descriptors, managed heap) run alone: tests running in parallel in the same
/// process would open and close sockets of their own between the two readings.
/// </summary>
[CollectionDefinition(DisableParallelization = true)]
public sealed class ProcessResourceIsolation;

/// <summary>Many connections at once: nothing leaks, and a drain under load loses no byte of any connection it lets finish.</summary>
[Collection(typeof(ProcessResourceIsolation))]
public class ConnectionResourceTests
{
    private const int HeldConnections = 2000;

    [Theory]
    [InlineData(Pump.Copy)]
    [InlineData(Pump.Splice)]
    public async Task Two_thousand_held_connections_released_leave_no_file_descriptor_or_memory_behind(Pump pump)
    {
        using Socket upstreamListener = Loopback.Listen();
        upstreamListener.Listen(HeldConnections);

        // Buffers from a pool that keeps nothing (and counts what is out): ArrayPool.Shared's per-thread and per-core
        // caches may keep megabytes of returned buffers alive, which is retention by design, not a leak; this way the
        // heap check sees only the engine's own objects, and the pool says whether every buffer came back.
        var buffers = new CountingBufferPool();
        await using var harness = ForwarderHarness.StartPassthrough(null, b => { b.UsePump(pump); b.Buffers = buffers; }, upstreamListener.LocalEndPoint!);
        using var pairs = new UpstreamPairs(upstreamListener);

        // Warm up once so JIT, the thread pool and the loops' tables are at their working size before the baseline.
        await HoldAndReleaseAsync(harness, pairs, 0, 200);
        int fdsBefore = OpenFileDescriptors();
        long memoryBefore = SettledManagedMemory();

        await HoldAndReleaseAsync(harness, pairs, 1000, HeldConnections);

        Assert.Equal(0, harness.Forwarder.ActiveConnections);
        int fdsAfter = OpenFileDescriptors();
        long memoryAfter = SettledManagedMemory();
        Assert.True(fdsAfter <= fdsBefore + 8, $"file descriptors {fdsBefore} -> {fdsAfter}");
        Assert.True(memoryAfter - memoryBefore < 4 * 1024 * 1024, $"managed memory {memoryBefore} -> {memoryAfter}");
        Assert.Equal(0, OwnReadinessRegistrations());
        Assert.Equal(0, buffers.Outstanding);
        Assert.Equal(0, buffers.StrayReturns);
    }

    [Theory]
    [InlineData(Pump.Copy)]
    [InlineData(Pump.Splice)]
    [InlineData(Pump.SpliceOnRuntimeReadiness)]
    public async Task Drain_under_load_delivers_every_byte_of_every_connection_that_finishes(Pump pump)
    {
        const int Connections = 40;
        using Socket upstreamListener = Loopback.Listen();
        await using var harness = ForwarderHarness.StartPassthrough(null, pump, upstreamListener.LocalEndPoint!);
        using var pairs = new UpstreamPairs(upstreamListener);
        var pairsOpen = await Task.WhenAll(Enumerable.Range(0, Connections).Select(async id =>
        {
            Socket client = await harness.ConnectAsync();
            return (client, upstream: await pairs.AcceptAsync(client, id));
        }));

        // Start the drain with every connection mid-transfer; each then sends its payload both ways and ends.
        Task draining = harness.Forwarder.DrainAsync(TimeSpan.FromMinutes(5), TestContext.Current.CancellationToken);
        Assert.True(harness.Forwarder.IsDraining);
        await Task.WhenAll(pairsOpen.Select((pair, i) => TransferAndCloseAsync(pair.client, pair.upstream, seed: i)));
        await draining;

        for (int i = 0; i < Connections; i++)
        {
            var (_, result) = await harness.Observer.NextClosedAsync();
            Assert.True(result.IsGraceful, result.Cause.ToString());
        }

        Assert.Equal(0, harness.Forwarder.ActiveConnections);
        Assert.Equal(0, OwnReadinessRegistrations());
    }

    [Fact]
    public async Task Spliced_connections_ended_every_way_leave_no_registration_in_the_readiness_loop()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "the own readiness loop is Linux only");
        using Socket upstreamListener = Loopback.Listen();
        await using var harness = ForwarderHarness.StartPassthrough(null, Pump.Splice, upstreamListener.LocalEndPoint!);
        using var pairs = new UpstreamPairs(upstreamListener);
        for (int id = 0; id < 30; id++)
        {
            Socket client = await harness.ConnectAsync();
            Socket upstream = await pairs.AcceptAsync(client, id);
            await Loopback.SendAllAsync(client, new byte[100_000]);
            await Loopback.ReadExactlyAsync(upstream, 100_000);
            Assert.Equal(2, OwnReadinessRegistrations()); // both sockets of this connection wait on the own loop
            switch (id % 3)
            {
                case 0: // graceful, both sides
                    client.Shutdown(SocketShutdown.Send);
                    upstream.Shutdown(SocketShutdown.Send);
                    await Loopback.ReadToEndAsync(client);
                    break;
                case 1: // the client resets
                    Loopback.Reset(client);
                    break;
                default: // the upstream resets
                    Loopback.Reset(upstream);
                    break;
            }

            var (_, result) = await harness.Observer.NextClosedAsync();
            Assert.Equal((id % 3) switch { 0 => CloseCause.ClientClosed, 1 => CloseCause.ClientReset, _ => CloseCause.UpstreamReset }, result.Cause);
            Assert.Equal(100_004, result.BytesFromClient); // with UpstreamPairs' 4-byte tag
            client.Dispose();
            upstream.Dispose();
        }

        Assert.Equal(0, harness.Forwarder.ActiveConnections);
        Assert.Equal(0, OwnReadinessRegistrations());
    }

    /// <summary>Sockets still registered with the splice pump's own epoll loop (none, once every connection ended).</summary>
    private static int OwnReadinessRegistrations() => EpollReadiness.TotalCount;

    private static async Task HoldAndReleaseAsync(ForwarderHarness harness, UpstreamPairs pairs, int firstId, int count)
    {
        var held = new List<Socket>(count * 2);
        using var gate = new SemaphoreSlim(64);
        await Task.WhenAll(Enumerable.Range(firstId, count).Select(async id =>
        {
            await gate.WaitAsync(TestContext.Current.CancellationToken);
            try
            {
                Socket client = await harness.ConnectAsync();
                Socket upstream = await pairs.AcceptAsync(client, id);
                lock (held)
                {
                    held.Add(client);
                    held.Add(upstream);
                }
            }
            finally
            {
                gate.Release();
            }
        }));
        Assert.Equal(count, harness.Forwarder.ActiveConnections);

        foreach (Socket socket in held)
        {
            socket.Dispose();
        }

        for (int i = 0; i < count; i++)
        {
            await harness.Observer.NextClosedAsync();
        }

        // The observer keeps every context it saw open; what is measured is what the forwarder keeps.
        harness.Observer.ForgetOpened();
    }

    private static async Task TransferAndCloseAsync(Socket client, Socket upstream, int seed)
    {
        using (client)
        using (upstream)
        {
            var random = new Random(seed);
            byte[] up = new byte[random.Next(1, 2_000_000)];
            byte[] down = new byte[random.Next(1, 2_000_000)];
            random.NextBytes(up);
            random.NextBytes(down);
            Task<byte[]> upstreamReceives = Loopback.ReadToEndAsync(upstream);
            Task<byte[]> clientReceives = Loopback.ReadToEndAsync(client);
            await Task.WhenAll(
                SendAndFinishAsync(client, up),
                SendAndFinishAsync(upstream, down));
            Assert.Equal(SHA256.HashData(up), SHA256.HashData(await upstreamReceives));
            Assert.Equal(SHA256.HashData(down), SHA256.HashData(await clientReceives));
        }
    }

    private static async Task SendAndFinishAsync(Socket socket, byte[] data)
    {
        await Loopback.SendAllAsync(socket, data);
        socket.Shutdown(SocketShutdown.Send);
    }

    private static int OpenFileDescriptors() => Directory.GetFiles("/proc/self/fd").Length;

    private static long SettledManagedMemory()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
