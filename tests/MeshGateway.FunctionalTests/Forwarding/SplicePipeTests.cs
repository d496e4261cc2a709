using System.Net.Sockets;
using System.Security.Cryptography;
using MeshGateway.Forwarding;
using MeshGateway.FunctionalTests.Faults;
using MeshGateway.FunctionalTests.Infrastructure;
using MeshGateway.Testing;

namespace MeshGateway.FunctionalTests.Forwarding;

/// <summary>
/// The splice pump's pipes: a direction holds one only while bytes are in it. Counted process-wide, so these run
/// alone (<see cref="ProcessResourceIsolation"/>).
/// </summary>
[Collection(typeof(ProcessResourceIsolation))]
public class SplicePipeTests
{
    [Theory]
    [InlineData(Pump.Splice)]
    [InlineData(Pump.SpliceOnRuntimeReadiness)]
    public async Task Idle_spliced_connections_hold_no_pipe_and_take_one_again_when_bytes_come(Pump pump)
    {
        Assert.SkipUnless(LinuxSplice.IsSupported, "splice(2) is Linux only");
        using Socket upstreamListener = Loopback.Listen();
        await using var harness = ForwarderHarness.StartPassthrough(null, pump, upstreamListener.LocalEndPoint!);
        using var pairs = new UpstreamPairs(upstreamListener);
        var connections = new List<(Socket Client, Socket Upstream)>();
        for (int id = 0; id < 20; id++)
        {
            Socket client = await harness.ConnectAsync();
            Socket upstream = await pairs.AcceptAsync(client, id);
            connections.Add((client, upstream));
            await ExchangeAsync(client, upstream, 200_000);
        }

        // Every byte arrived both ways: each direction gives its pipe back once its source has nothing more.
        await WaitForAsync(() => LinuxSplice.PipesInUse == 0);
        Assert.InRange(LinuxSplice.PooledPipes, 1, LinuxSplice.PooledPipeLimit);

        // An idle connection that gets bytes again takes a pipe again, and nothing is lost on the way.
        foreach ((Socket client, Socket upstream) in connections)
        {
            await ExchangeAsync(client, upstream, 3_000_000);
        }

        await WaitForAsync(() => LinuxSplice.PipesInUse == 0);
        foreach ((Socket client, Socket upstream) in connections)
        {
            client.Shutdown(SocketShutdown.Send);
            Assert.Empty(await Loopback.ReadToEndAsync(upstream));
            upstream.Shutdown(SocketShutdown.Send);
            Assert.Empty(await Loopback.ReadToEndAsync(client));
            var (_, result) = await harness.Observer.NextClosedAsync();
            Assert.True(result.IsGraceful, result.Cause.ToString());
            client.Dispose();
            upstream.Dispose();
        }

        Assert.Equal(0, LinuxSplice.PipesInUse);
    }

    /// <summary>Random bytes each way, checked byte for byte (more than a 1 MiB pipe holds when large).</summary>
    private static async Task ExchangeAsync(Socket client, Socket upstream, int size)
    {
        byte[] request = RandomNumberGenerator.GetBytes(size);
        byte[] reply = RandomNumberGenerator.GetBytes(size / 2);
        Task<byte[]> requestArrives = Loopback.ReadExactlyAsync(upstream, request.Length);
        await Loopback.SendAllAsync(client, request);
        Assert.Equal(request, await requestArrives);
        Task<byte[]> replyArrives = Loopback.ReadExactlyAsync(client, reply.Length);
        await Loopback.SendAllAsync(upstream, reply);
        Assert.Equal(reply, await replyArrives);
    }

    /// <summary>Waits for a state the forwarder reaches right after the bytes are delivered; fails after 10 s.</summary>
    private static async Task WaitForAsync(Func<bool> condition)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(10));
        while (!condition())
        {
            await Task.Delay(5, deadline.Token);
        }
    }
}
