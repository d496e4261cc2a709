using System.Net.Sockets;
using System.Security.Cryptography;
using MeshGateway.Forwarding;
using MeshGateway.FunctionalTests.Infrastructure;
using MeshGateway.Testing;

namespace MeshGateway.FunctionalTests.Forwarding;

/// <summary>Splice semantics on real loopback sockets: integrity, half-close, resets.</summary>
public class SpliceTests
{
    private const int SixtyFourMiB = 64 * 1024 * 1024;

    [Theory]
    [InlineData(Pump.Copy)]
    [InlineData(Pump.Splice)]
    [InlineData(Pump.SpliceOnRuntimeReadiness)]
    [InlineData(Pump.AutoSwitching)]
    public async Task Sixty_four_MiB_each_way_with_random_write_sizes_arrive_with_equal_sha256(Pump pump)
    {
        using Socket upstreamListener = Loopback.Listen();
        await using var harness = ForwarderHarness.StartPassthrough(null, pump, upstreamListener.LocalEndPoint!);
        using Socket client = await harness.ConnectAsync();
        using Socket upstream = await upstreamListener.AcceptAsync(TestContext.Current.CancellationToken);

        // Both directions at once, each writer shuts down its send side at the end.
        Task<byte[]> clientSends = SendRandomAsync(client, seed: 1);
        Task<byte[]> upstreamSends = SendRandomAsync(upstream, seed: 2);
        Task<byte[]> upstreamReceives = HashUntilEofAsync(upstream);
        Task<byte[]> clientReceives = HashUntilEofAsync(client);

        Assert.Equal(await clientSends, await upstreamReceives);
        Assert.Equal(await upstreamSends, await clientReceives);
        var (_, result) = await harness.Observer.NextClosedAsync();
        Assert.True(result.IsGraceful, result.Cause.ToString());
        Assert.Equal(SixtyFourMiB, result.BytesFromClient);
        Assert.Equal(SixtyFourMiB, result.BytesToClient);
    }

    /// <summary>
    /// The readiness copy receives into one buffer per loop and moves the unsent rest of a read into a buffer of the
    /// direction's own when the destination pushes back. Here the receivers read in small pieces with pauses, so sends
    /// keep stopping part-way, while other connections on the same loops (more connections than loops) receive into
    /// the loop's buffer in between: a byte left behind in it would be overwritten, and a digest would differ.
    /// </summary>
    [Theory]
    [InlineData(Pump.Copy)]
    [InlineData(Pump.AutoSwitching)]
    public async Task Connections_sharing_a_loop_under_backpressure_each_receive_exactly_their_own_bytes(Pump pump)
    {
        const int Connections = 6;
        const int Bytes = 4 * 1024 * 1024;
        using Socket upstreamListener = Loopback.Listen();
        await using var harness = ForwarderHarness.StartPassthrough(null, pump, upstreamListener.LocalEndPoint!);
        var runs = new List<Task>();
        var sockets = new List<Socket>();
        try
        {
            for (int i = 0; i < Connections; i++)
            {
                Socket client = await harness.ConnectAsync();
                Socket upstream = await upstreamListener.AcceptAsync(TestContext.Current.CancellationToken);
                sockets.Add(client);
                sockets.Add(upstream);
                int seed = 100 + (2 * i);
                runs.Add(ExchangeAsync(client, upstream, seed));
            }

            await Task.WhenAll(runs);
        }
        finally
        {
            sockets.ForEach(static socket => socket.Dispose());
        }

        for (int i = 0; i < Connections; i++)
        {
            var (_, result) = await harness.Observer.NextClosedAsync();
            Assert.Equal((Bytes, Bytes), (result.BytesFromClient, result.BytesToClient));
        }

        static async Task ExchangeAsync(Socket client, Socket upstream, int seed)
        {
            Task<byte[]> clientSends = SendRandomAsync(client, seed, Bytes);
            Task<byte[]> upstreamSends = SendRandomAsync(upstream, seed + 1, Bytes);
            Task<byte[]> upstreamReceives = HashSlowlyUntilEofAsync(upstream);
            Task<byte[]> clientReceives = HashSlowlyUntilEofAsync(client);
            Assert.Equal(await clientSends, await upstreamReceives);
            Assert.Equal(await upstreamSends, await clientReceives);
        }
    }

    [Theory]
    [InlineData(Pump.Copy)]
    [InlineData(Pump.Splice)]
    [InlineData(Pump.SpliceOnRuntimeReadiness)]
    public async Task Client_half_close_is_forwarded_and_the_upstream_reply_still_arrives(Pump pump)
    {
        using Socket upstreamListener = Loopback.Listen();
        await using var harness = ForwarderHarness.StartPassthrough(null, pump, upstreamListener.LocalEndPoint!);
        using Socket client = await harness.ConnectAsync();
        using Socket upstream = await upstreamListener.AcceptAsync(TestContext.Current.CancellationToken);

        await Loopback.SendAllAsync(client, "request"u8.ToArray());
        client.Shutdown(SocketShutdown.Send);
        Assert.Equal("request"u8.ToArray(), await Loopback.ReadToEndAsync(upstream)); // upstream saw the FIN

        byte[] reply = RandomNumberGenerator.GetBytes(300_000);
        await Loopback.SendAllAsync(upstream, reply);
        upstream.Shutdown(SocketShutdown.Send);
        Assert.Equal(reply, await Loopback.ReadToEndAsync(client));

        var (_, result) = await harness.Observer.NextClosedAsync();
        Assert.Equal(CloseCause.ClientClosed, result.Cause);
        Assert.Equal(7, result.BytesFromClient);
        Assert.Equal(reply.Length, result.BytesToClient);
    }

    [Theory]
    [InlineData(Pump.Copy)]
    [InlineData(Pump.Splice)]
    [InlineData(Pump.SpliceOnRuntimeReadiness)]
    public async Task Upstream_half_close_is_forwarded_and_the_client_can_still_send(Pump pump)
    {
        using Socket upstreamListener = Loopback.Listen();
        await using var harness = ForwarderHarness.StartPassthrough(null, pump, upstreamListener.LocalEndPoint!);
        using Socket client = await harness.ConnectAsync();
        using Socket upstream = await upstreamListener.AcceptAsync(TestContext.Current.CancellationToken);

        await Loopback.SendAllAsync(upstream, "banner"u8.ToArray());
        upstream.Shutdown(SocketShutdown.Send);
        Assert.Equal("banner"u8.ToArray(), await Loopback.ReadToEndAsync(client)); // client saw the FIN

        byte[] late = RandomNumberGenerator.GetBytes(200_000);
        await Loopback.SendAllAsync(client, late);
        client.Shutdown(SocketShutdown.Send);
        Assert.Equal(late, await Loopback.ReadToEndAsync(upstream));

        var (_, result) = await harness.Observer.NextClosedAsync();
        Assert.Equal(CloseCause.UpstreamClosed, result.Cause);
        Assert.Equal(ForwardingPhase.HalfClosed, result.Phase);
    }

    [Theory]
    [InlineData(Pump.Copy)]
    [InlineData(Pump.Splice)]
    [InlineData(Pump.SpliceOnRuntimeReadiness)]
    public async Task Client_reset_resets_the_upstream(Pump pump)
    {
        using Socket upstreamListener = Loopback.Listen();
        await using var harness = ForwarderHarness.StartPassthrough(null, pump, upstreamListener.LocalEndPoint!);
        Socket client = await harness.ConnectAsync();
        using Socket upstream = await upstreamListener.AcceptAsync(TestContext.Current.CancellationToken);
        await Loopback.SendAllAsync(client, "x"u8.ToArray());
        await Loopback.ReadExactlyAsync(upstream, 1);
        await harness.Observer.NextStreamingAsync();

        Loopback.Reset(client);

        Assert.Equal(SocketError.ConnectionReset, await Loopback.ReadUntilClosedAsync(upstream));
        var (_, result) = await harness.Observer.NextClosedAsync();
        Assert.Equal(CloseCause.ClientReset, result.Cause);
        Assert.Equal(ForwardingPhase.Streaming, result.Phase);
    }

    [Theory]
    [InlineData(Pump.Copy)]
    [InlineData(Pump.Splice)]
    [InlineData(Pump.SpliceOnRuntimeReadiness)]
    public async Task Upstream_reset_resets_the_client(Pump pump)
    {
        using Socket upstreamListener = Loopback.Listen();
        await using var harness = ForwarderHarness.StartPassthrough(null, pump, upstreamListener.LocalEndPoint!);
        using Socket client = await harness.ConnectAsync();
        Socket upstream = await upstreamListener.AcceptAsync(TestContext.Current.CancellationToken);
        await Loopback.SendAllAsync(upstream, "y"u8.ToArray());
        await Loopback.ReadExactlyAsync(client, 1);

        Loopback.Reset(upstream);

        Assert.Equal(SocketError.ConnectionReset, await Loopback.ReadUntilClosedAsync(client));
        var (_, result) = await harness.Observer.NextClosedAsync();
        Assert.Equal(CloseCause.UpstreamReset, result.Cause);
    }

    [Fact]
    public async Task Splice_mode_moves_bytes_through_kernel_pipes_on_linux()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "splice(2) is Linux only; elsewhere the copy loop runs");
        using Socket upstreamListener = Loopback.Listen();
        await using var harness = ForwarderHarness.StartPassthrough(null, Pump.Splice, upstreamListener.LocalEndPoint!);
        long rentedBefore = LinuxSplice.PipesRented;
        using Socket client = await harness.ConnectAsync();
        using Socket upstream = await upstreamListener.AcceptAsync(TestContext.Current.CancellationToken);

        // One round trip each way: both directions have been readable once, so both have taken a pipe (new or
        // pooled; each gives it back once drained).
        await Loopback.SendAllAsync(client, "ping"u8.ToArray());
        await Loopback.ReadExactlyAsync(upstream, 4);
        await Loopback.SendAllAsync(upstream, "pong"u8.ToArray());
        await Loopback.ReadExactlyAsync(client, 4);

        Assert.True(LinuxSplice.PipesRented - rentedBefore >= 2, "a pipe per direction for the streaming connection");
        client.Shutdown(SocketShutdown.Send);
        upstream.Shutdown(SocketShutdown.Send);
        var (_, result) = await harness.Observer.NextClosedAsync();
        Assert.Equal(4, result.BytesFromClient);
        Assert.Equal(4, result.BytesToClient);
    }

    [Fact]
    public async Task Auto_mode_switches_a_bulk_direction_to_kernel_pipes_after_its_copied_bytes_on_linux()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "splice(2) is Linux only; elsewhere the copy loop runs");
        using Socket upstreamListener = Loopback.Listen();
        await using var harness = ForwarderHarness.StartPassthrough(null, Pump.AutoSwitching, upstreamListener.LocalEndPoint!);
        using Socket client = await harness.ConnectAsync();
        using Socket upstream = await upstreamListener.AcceptAsync(TestContext.Current.CancellationToken);

        // A short exchange first (copied), then 1 MiB in one burst: the first receive fills the 4 KiB buffer, so the
        // direction splices the rest. Every byte arrives once and in order across the switch.
        await Loopback.SendAllAsync(client, "ping"u8.ToArray());
        Assert.Equal("ping"u8.ToArray(), await Loopback.ReadExactlyAsync(upstream, 4));
        Assert.Equal(0, harness.Forwarder.SplicedDirections);
        byte[] bulk = new byte[1024 * 1024];
        new Random(7).NextBytes(bulk);
        Task send = Loopback.SendAllAsync(client, bulk);
        Assert.Equal(bulk, await Loopback.ReadExactlyAsync(upstream, bulk.Length));
        await send;

        Assert.Equal(1, harness.Forwarder.SplicedDirections);
        client.Shutdown(SocketShutdown.Send);
        Assert.Equal(SocketError.Success, await Loopback.ReadUntilClosedAsync(upstream));
        upstream.Shutdown(SocketShutdown.Send);
        var (_, result) = await harness.Observer.NextClosedAsync();
        Assert.True(result.IsGraceful);
        Assert.Equal(4 + bulk.Length, result.BytesFromClient);
        Assert.Equal(0, result.BytesToClient);
    }

    private static async Task<byte[]> SendRandomAsync(Socket socket, int seed, int total = SixtyFourMiB)
    {
        var random = new Random(seed);
        byte[] chunk = new byte[256 * 1024];
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        int remaining = total;
        while (remaining > 0)
        {
            int size = Math.Min(remaining, random.Next(1, chunk.Length + 1));
            random.NextBytes(chunk.AsSpan(0, size));
            sha.AppendData(chunk, 0, size);
            await Loopback.SendAllAsync(socket, chunk.AsMemory(0, size));
            remaining -= size;
        }

        socket.Shutdown(SocketShutdown.Send);
        return sha.GetHashAndReset();
    }

    private static async Task<byte[]> HashUntilEofAsync(Socket socket)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        byte[] buffer = new byte[64 * 1024];
        int read;
        while ((read = await socket.ReceiveAsync(buffer, SocketFlags.None, TestContext.Current.CancellationToken)) > 0)
        {
            sha.AppendData(buffer, 0, read);
        }

        return sha.GetHashAndReset();
    }

    /// <summary>Reads at most 4 KiB at a time and pauses every 64 KiB, so the forwarder's sends into this socket keep filling it.</summary>
    private static async Task<byte[]> HashSlowlyUntilEofAsync(Socket socket)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        byte[] buffer = new byte[4 * 1024];
        long total = 0;
        int read;
        while ((read = await socket.ReceiveAsync(buffer, SocketFlags.None, TestContext.Current.CancellationToken)) > 0)
        {
            sha.AppendData(buffer, 0, read);
            if ((total += read) % (64 * 1024) < read)
            {
                await Task.Delay(1, TestContext.Current.CancellationToken);
            }
        }

        return sha.GetHashAndReset();
    }
}
