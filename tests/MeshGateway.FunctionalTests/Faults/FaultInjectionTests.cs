using System.Net.Sockets;
using System.Security.Cryptography;
using MeshGateway.Forwarding;
using MeshGateway.FunctionalTests.Infrastructure;
using MeshGateway.Testing;
using Microsoft.Extensions.Time.Testing;

namespace MeshGateway.FunctionalTests.Faults;

/// <summary>
/// Faults on either side of the forwarder, on real loopback sockets: every connection ends with the right cause,
/// the other side is told, no byte sent before a FIN is lost, and nothing is left behind. Time is fake.
/// </summary>
public class FaultInjectionTests
{
    private static byte[] Hello => CaptureFiles.ClientHello("curl.bin");

    [Fact]
    public async Task Upstream_that_accepts_then_resets_before_a_byte_resets_the_client()
    {
        using Socket upstreamListener = Loopback.Listen();
        await using var harness = ForwarderHarness.StartPassthrough(null, upstreamListener.LocalEndPoint!);
        using Socket client = await harness.ConnectAsync();
        Socket upstream = await upstreamListener.AcceptAsync(TestContext.Current.CancellationToken);
        await harness.Observer.NextStreamingAsync();

        Loopback.Reset(upstream);

        SocketError clientSaw = await Loopback.ReadUntilClosedAsync(client);
        var (_, result) = await harness.Observer.NextClosedAsync();
        Assert.Equal((SocketError.ConnectionReset, CloseCause.UpstreamReset, 0L), (clientSaw, result.Cause, result.BytesToClient));
        Assert.Equal(0, harness.Forwarder.ActiveConnections);
    }

    [Fact]
    public async Task Upstream_reset_racing_the_connect_is_a_connect_failure_or_a_reset_never_an_error()
    {
        // The upstream's RST can land before the runtime has reported the connect as complete (the connect then fails
        // with ECONNRESET: nothing reached the upstream, the client is closed as for a refused connect) or after it
        // (a reset while streaming, passed on as a reset). Both are correct; anything else is not.
        using Socket upstreamListener = Loopback.Listen();
        await using var harness = ForwarderHarness.StartPassthrough(null, upstreamListener.LocalEndPoint!);
        for (int i = 0; i < 20; i++)
        {
            using Socket client = await harness.ConnectAsync();
            Loopback.Reset(await upstreamListener.AcceptAsync(TestContext.Current.CancellationToken));

            SocketError clientSaw = await Loopback.ReadUntilClosedAsync(client);
            var (_, result) = await harness.Observer.NextClosedAsync();
            Assert.Contains(
                (clientSaw, result.Cause),
                (ValueTuple<SocketError, CloseCause>[])[(SocketError.Success, CloseCause.ConnectFailed), (SocketError.ConnectionReset, CloseCause.UpstreamReset)]);
        }

        Assert.Equal(0, harness.Forwarder.ActiveConnections);
    }

    [Fact]
    public async Task Stalled_upstream_applies_backpressure_and_the_idle_timeout_closes_both_sides()
    {
        var time = new FakeTimeProvider();
        using Socket upstreamListener = Loopback.Listen();
        await using var harness = ForwarderHarness.StartPassthrough(time, upstreamListener.LocalEndPoint!);
        using Socket client = await harness.ConnectAsync();
        using Socket upstream = await upstreamListener.AcceptAsync(TestContext.Current.CancellationToken);
        await Loopback.SendAllAsync(client, "x"u8.ToArray());
        await Loopback.ReadExactlyAsync(upstream, 1);

        // The upstream never reads again: the client's writes must stop making progress once the socket buffers are
        // full, because the forwarder holds at most one buffer per direction (no unbounded queueing).
        byte[] chunk = new byte[256 * 1024];
        long sent = 0;
        Task sending = Task.Run(async () =>
        {
            for (int i = 0; i < 1024; i++)
            {
                await Loopback.SendAllAsync(client, chunk);
                Interlocked.Add(ref sent, chunk.Length);
            }
        }, TestContext.Current.CancellationToken);
        await WaitForNoProgressAsync(() => Interlocked.Read(ref sent), sending);
        Assert.False(sending.IsCompleted, "256 MiB went into a stalled upstream: the forwarder buffered without bound");

        time.Advance(TimeSpan.FromMinutes(11));
        var (_, result) = await harness.Observer.NextClosedAsync();
        Assert.Equal(CloseCause.IdleTimeout, result.Cause);
        Assert.True(result.BytesFromClient < 64L * 1024 * 1024, $"{result.BytesFromClient} bytes taken from a client whose upstream stalled");
        await Assert.ThrowsAnyAsync<Exception>(() => sending);
    }

    [Fact]
    public async Task Client_reset_in_the_middle_of_the_hello_never_dials_the_upstream()
    {
        using Socket upstreamListener = Loopback.Listen();
        await using var harness = ForwarderHarness.Start(b => b.UseRouteResolver(ForwarderHarness.StaticRoute(upstreamListener.LocalEndPoint!)));
        Socket client = await harness.ConnectAsync();
        await Loopback.SendAllAsync(client, Hello.AsMemory(0, 100));
        await harness.Observer.NextAcceptedAsync();

        Loopback.Reset(client);

        var (_, result) = await harness.Observer.NextClosedAsync();
        Assert.Equal(CloseCause.ClientReset, result.Cause);
        Assert.True(result.Phase < ForwardingPhase.Connecting, result.Phase.ToString());
        Assert.Empty(harness.Observer.Attempts);
        Assert.Equal(0, harness.Forwarder.ActiveConnections);
    }

    [Fact]
    public async Task Client_that_closes_in_the_middle_of_the_hello_never_dials_the_upstream()
    {
        using Socket upstreamListener = Loopback.Listen();
        await using var harness = ForwarderHarness.Start(b => b.UseRouteResolver(ForwarderHarness.StaticRoute(upstreamListener.LocalEndPoint!)));
        using Socket client = await harness.ConnectAsync();
        await Loopback.SendAllAsync(client, Hello.AsMemory(0, 100));

        client.Shutdown(SocketShutdown.Send);

        var (_, result) = await harness.Observer.NextClosedAsync();
        Assert.Equal(CloseCause.ClientClosed, result.Cause);
        Assert.True(result.Phase < ForwardingPhase.Connecting, result.Phase.ToString());
        Assert.Empty(harness.Observer.Attempts);
        Assert.Equal(SocketError.Success, await Loopback.ReadUntilClosedAsync(client));
    }

    /// <summary>
    /// 120 connections, 12 at a time, each with a seeded random script: which side ends first, with a FIN or an RST,
    /// after how many bytes each way. Every connection must close with a cause that names the side and the way it
    /// ended, never InternalError; after a FIN the other side must have received exactly the bytes sent before it.
    /// </summary>
    [Fact]
    public async Task Random_fin_and_rst_timing_on_either_side_ends_every_connection_cleanly()
    {
        const int Connections = 120;
        using Socket upstreamListener = Loopback.Listen();
        await using var harness = ForwarderHarness.StartPassthrough(null, upstreamListener.LocalEndPoint!);
        var random = new Random(20261126);
        var scripts = Enumerable.Range(0, Connections)
            .Select(_ => new Script(random.Next(2) == 0, random.Next(2) == 0, random.Next(0, 200_000), random.Next(0, 200_000)))
            .ToArray();

        using var pairs = new UpstreamPairs(upstreamListener);
        int id = 0;
        foreach (Script[] batch in scripts.Chunk(12))
        {
            await Task.WhenAll(batch.Select(script => RunScriptAsync(harness, pairs, id++, script)));
        }

        var causes = new List<CloseCause>();
        for (int i = 0; i < Connections; i++)
        {
            var (_, result) = await harness.Observer.NextClosedAsync();
            causes.Add(result.Cause);
        }

        Assert.DoesNotContain(CloseCause.InternalError, causes);
        Assert.All(causes, c => Assert.Contains(c, (CloseCause[])[CloseCause.ClientClosed, CloseCause.UpstreamClosed, CloseCause.ClientReset, CloseCause.UpstreamReset]));
        Assert.Equal(0, harness.Forwarder.ActiveConnections);
    }

    private sealed record Script(bool ClientEndsFirst, bool WithReset, int ClientBytes, int UpstreamBytes);

    private static async Task RunScriptAsync(ForwarderHarness harness, UpstreamPairs pairs, int id, Script script)
    {
        Socket client = await harness.ConnectAsync();
        Socket upstream = await pairs.AcceptAsync(client, id);

        byte[] fromClient = RandomNumberGenerator.GetBytes(script.ClientBytes);
        byte[] fromUpstream = RandomNumberGenerator.GetBytes(script.UpstreamBytes);
        Socket first = script.ClientEndsFirst ? client : upstream;
        Socket second = script.ClientEndsFirst ? upstream : client;
        byte[] firstSends = script.ClientEndsFirst ? fromClient : fromUpstream;
        byte[] secondSends = script.ClientEndsFirst ? fromUpstream : fromClient;
        try
        {
            Task<byte[]> secondReceives = Loopback.ReadToEndOrResetAsync(second);
            await Loopback.SendAllAsync(first, firstSends);
            if (script.WithReset)
            {
                Loopback.Reset(first);
                await secondReceives; // ends with EOF or a reset; RST may discard bytes in flight, by TCP's rules
                return;
            }

            first.Shutdown(SocketShutdown.Send);
            Assert.Equal(firstSends, await secondReceives); // a FIN loses nothing

            // The other direction keeps flowing after the half-close, then ends too.
            Task<byte[]> firstReceives = Loopback.ReadToEndOrResetAsync(first);
            await Loopback.SendAllAsync(second, secondSends);
            second.Shutdown(SocketShutdown.Send);
            Assert.Equal(secondSends, await firstReceives);
        }
        finally
        {
            client.Dispose();
            upstream.Dispose();
        }
    }

    /// <summary>
    /// Waits until <paramref name="progress"/> has not moved for three polls in a row (or the sender finished). A slow
    /// machine can only make this wait longer; it cannot make a bounded forwarder look unbounded.
    /// </summary>
    private static async Task WaitForNoProgressAsync(Func<long> progress, Task sending)
    {
        long last = -1;
        for (int still = 0, polls = 0; still < 3 && polls < 400 && !sending.IsCompleted; polls++)
        {
            await Task.Delay(50, TestContext.Current.CancellationToken);
            long now = progress();
            still = now == last ? still + 1 : 0;
            last = now;
        }
    }
}
