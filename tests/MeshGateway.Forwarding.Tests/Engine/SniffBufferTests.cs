using MeshGateway.Testing;
using MeshGateway.ClientHello;

namespace MeshGateway.Forwarding.Tests.Engine;

/// <summary>
/// What a connection rents while it sniffs, counted by the pool itself: nothing before its first byte, a buffer sized
/// to what arrived (grown as the hello comes in, never past <see cref="ForwarderOptions.MaxClientHelloBytes"/>), and
/// nothing left once the hello has been replayed or the connection has closed.
/// </summary>
public class SniffBufferTests
{
    [Fact]
    public async Task Silent_connection_rents_nothing_and_still_closes_at_the_sniff_deadline()
    {
        var pool = new CountingBufferPool();
        await using var harness = EngineHarness.Start(configure: b => b.Buffers = pool);
        (MemoryPeer _, Task<ForwardingResult> result) = harness.Connect();

        // Connect returns once the connection waits for its first byte.
        Assert.Empty(pool.Requests);
        harness.Time.Advance(harness.Forwarder.Settings.SniffTimeout);

        ForwardingResult closed = await result;
        Assert.Equal(CloseCause.SniffTimeout, closed.Cause);
        Assert.Equal(ForwardingPhase.Sniffing, closed.Phase);
        Assert.Empty(pool.Requests);
    }

    [Fact]
    public async Task Sniff_deadline_counts_from_accept_not_from_the_first_byte()
    {
        var pool = new CountingBufferPool();
        await using var harness = EngineHarness.Start(configure: b => b.Buffers = pool);
        (MemoryPeer client, Task<ForwardingResult> result) = harness.Connect();
        TimeSpan deadline = harness.Forwarder.Settings.SniffTimeout;

        harness.Time.Advance(deadline - TimeSpan.FromSeconds(2));
        await client.SendAsync(EngineHarness.Hello.AsMemory(0, 10));
        await Eventually.TrueAsync(() => pool.Requests.Count == 1);
        harness.Time.Advance(TimeSpan.FromSeconds(2));

        // Had the deadline restarted at the first byte, this would wait forever: bounded, it fails instead.
        ForwardingResult closed = await result.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        Assert.Equal(CloseCause.SniffTimeout, closed.Cause);
        Assert.Equal(0, pool.Outstanding);
        Assert.Equal(0, pool.StrayReturns);
    }

    [Fact]
    public async Task Client_that_resets_before_its_first_byte_rented_nothing()
    {
        var pool = new CountingBufferPool();
        await using var harness = EngineHarness.Start(configure: b => b.Buffers = pool);
        (MemoryPeer client, Task<ForwardingResult> result) = harness.Connect();

        client.Reset();

        Assert.Equal(CloseCause.ClientReset, (await result).Cause);
        Assert.Empty(pool.Requests);
    }

    [Fact]
    public async Task Client_that_finishes_before_its_first_byte_is_closed_holding_nothing()
    {
        // Readiness cannot tell a FIN from data: the read after it can, into the smallest buffer, returned at once.
        var pool = new CountingBufferPool();
        await using var harness = EngineHarness.Start(configure: b => b.Buffers = pool);
        (MemoryPeer client, Task<ForwardingResult> result) = harness.Connect();

        client.Finish();

        Assert.Equal(CloseCause.ClientClosed, (await result).Cause);
        Assert.All(pool.Requests, size => Assert.Equal(256, size));
        Assert.Equal(0, pool.Outstanding);
    }

    [Fact]
    public async Task Hello_in_one_write_rents_exactly_its_size_and_the_buffer_is_back_before_streaming()
    {
        var probe = new PoolProbe();
        CountingBufferPool pool = probe.Pool;
        await using var harness = EngineHarness.Start(configure: probe.Attach);
        (MemoryPeer client, MemoryPeer upstream, Task<ForwardingResult> result) = await harness.StreamingAsync();

        Assert.Equal([EngineHarness.Hello.Length], pool.Requests);
        await probe.Streamed.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken); // the probe is told after the harness's observer
        Assert.Equal(0, probe.OutstandingWhenStreaming);

        client.Finish();
        Assert.Empty(await upstream.ReceiveToEndAsync()); // the client's FIN has reached the upstream: it closed first
        upstream.Finish();
        Assert.Equal(CloseCause.ClientClosed, (await result).Cause);
        Assert.Equal(0, pool.Outstanding);
        Assert.Equal(0, pool.StrayReturns);
    }

    [Fact]
    public async Task Hello_one_byte_at_a_time_grows_the_buffer_to_the_hello_and_is_replayed_unchanged()
    {
        var probe = new PoolProbe();
        CountingBufferPool pool = probe.Pool;
        await using var harness = EngineHarness.Start(configure: probe.Attach);
        (MemoryPeer client, Task<ForwardingResult> result) = harness.Connect();

        foreach (byte b in EngineHarness.Hello)
        {
            await client.SendAsync(new[] { b });
        }

        MemoryPeer upstream = await harness.NextUpstreamAsync();
        Assert.Equal(EngineHarness.Hello, await upstream.ReceiveExactlyAsync(EngineHarness.Hello.Length));
        ForwardingContext context = await harness.Observer.NextStreamingAsync();
        Assert.Equal(EngineHarness.HelloServerName, context.ClientHello!.ServerName);

        // Never more than the hello: once its record header is in, the parser says how much is missing.
        Assert.Equal(EngineHarness.Hello.Length, pool.Requests.Max());
        Assert.InRange(pool.Requests.Count, 1, 3);
        await probe.Streamed.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken); // the probe is told after the harness's observer
        Assert.Equal(0, probe.OutstandingWhenStreaming);

        client.Reset();
        Assert.Equal(CloseCause.ClientReset, (await result).Cause);
        Assert.Equal(0, pool.Outstanding);
        Assert.Equal(0, pool.StrayReturns);
    }

    [Fact]
    public async Task Hello_whose_start_arrived_in_one_write_then_trickles_grows_only_to_the_hello()
    {
        // The first wait sees 300 bytes (the buffer is sized to them); the count must not be used again once those
        // bytes were read, or the growth would add it to what the parser says is missing (600 instead of 517).
        var pool = new CountingBufferPool();
        await using var harness = EngineHarness.Start(configure: b => b.Buffers = pool);
        (MemoryPeer client, Task<ForwardingResult> result) = harness.Connect();
        byte[] hello = EngineHarness.Hello;

        await client.SendAsync(hello.AsMemory(0, 300));
        await Eventually.TrueAsync(() => pool.Requests.Count > 0); // the sniff buffer is rented: the rest comes after
        foreach (byte b in hello.AsSpan(300).ToArray())
        {
            await client.SendAsync(new[] { b });
        }

        MemoryPeer upstream = await harness.NextUpstreamAsync();
        Assert.Equal(hello, await upstream.ReceiveExactlyAsync(hello.Length));
        Assert.Equal(300, pool.Requests[0]);
        Assert.Equal(hello.Length, pool.Requests.Max());

        client.Reset();
        Assert.Equal(CloseCause.ClientReset, (await result).Cause);
        Assert.Equal(0, pool.Outstanding);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(64)]
    [InlineData(300)]
    public async Task Hello_over_many_records_is_routed_and_replayed_with_every_record_header(int recordSize)
    {
        var pool = new CountingBufferPool();
        await using var harness = EngineHarness.Start(
            o => o.MaxClientHelloBytes = ClientHelloParserOptions.HardMaxHandshakeLength,
            b => b.Buffers = pool);
        byte[] wire = InRecords(EngineHarness.Hello, recordSize);
        (MemoryPeer client, Task<ForwardingResult> result) = harness.Connect();

        await client.SendAsync(wire);

        MemoryPeer upstream = await harness.NextUpstreamAsync();
        Assert.Equal(wire, await upstream.ReceiveExactlyAsync(wire.Length));
        ForwardingContext context = await harness.Observer.NextStreamingAsync();
        Assert.Equal(EngineHarness.HelloServerName, context.ClientHello!.ServerName);
        Assert.Equal(wire.Length, pool.Requests.Max());

        client.Finish();
        upstream.Finish();
        await result;
        Assert.Equal(0, pool.Outstanding);
    }

    [Fact]
    public async Task Hello_that_outgrows_the_wire_cap_record_by_record_never_rents_past_the_cap()
    {
        // 16-byte records: the handshake (512 B) fits the parser's cap, the wire bytes (5 per record more) do not.
        const int Cap = 600;
        var pool = new CountingBufferPool();
        await using var harness = EngineHarness.Start(o => o.MaxClientHelloBytes = Cap, b => b.Buffers = pool);
        byte[] wire = InRecords(EngineHarness.Hello, 16);
        Assert.True(wire.Length > Cap, "the re-framed hello must pass the cap");
        (MemoryPeer client, Task<ForwardingResult> result) = harness.Connect();

        // In pieces: however many of them the first read finds, the buffer grows to the cap and no further.
        for (int offset = 0; offset < wire.Length; offset += 100)
        {
            await client.SendAsync(wire.AsMemory(offset, Math.Min(100, wire.Length - offset)));
        }

        ForwardingResult closed = await result;
        Assert.Equal(CloseCause.ClientHelloTooLarge, closed.Cause);
        Assert.Equal(Cap, pool.Requests.Max());
        Assert.Equal(0, pool.Outstanding);
        Assert.Equal(0, pool.StrayReturns);
    }

    [Fact]
    public async Task Hello_the_host_already_sniffed_holds_no_buffer()
    {
        var probe = new PoolProbe();
        CountingBufferPool pool = probe.Pool;
        await using var harness = EngineHarness.Start(configure: probe.Attach);
        var client = new MemoryPeer();
        var sniffed = new SniffedClientHello(EngineHarness.HelloServerName, [], EngineHarness.Hello.Length);
        Task<ForwardingResult> result = harness.Forwarder.ForwardAsync(client.EngineEnd, null, null, sniffed, TestContext.Current.CancellationToken);

        MemoryPeer upstream = await harness.NextUpstreamAsync();
        await harness.Observer.NextStreamingAsync();
        await probe.Streamed.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken); // the probe is told after the harness's observer
        Assert.Equal(0, probe.RentsWhenStreaming);

        client.Finish();
        upstream.Finish();
        await result;
        Assert.Equal(0, pool.Outstanding);
    }

    /// <summary>The hello's handshake message re-framed into records of at most <paramref name="size"/> bytes each.</summary>
    private static byte[] InRecords(byte[] hello, int size)
    {
        byte[] handshake = hello[5..];
        var wire = new List<byte>();
        for (int offset = 0; offset < handshake.Length; offset += size)
        {
            int length = Math.Min(size, handshake.Length - offset);
            wire.AddRange([0x16, hello[1], hello[2], (byte)(length >> 8), (byte)length]);
            wire.AddRange(handshake.AsSpan(offset, length).ToArray());
        }

        return [.. wire];
    }

    /// <summary>A counting pool for the engine, read at the moment it reports a connection streaming (after its replay).</summary>
    private sealed class PoolProbe : IForwarderObserver
    {
        public CountingBufferPool Pool { get; } = new();

        private readonly TaskCompletionSource _streamed = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Completes once <see cref="OnStreaming"/> has recorded the pool (observers are told in turn).</summary>
        public Task Streamed => _streamed.Task;

        public int OutstandingWhenStreaming { get; private set; } = -1;

        public int RentsWhenStreaming { get; private set; } = -1;

        /// <summary>Makes the forwarder rent from <see cref="Pool"/> and report to this probe.</summary>
        public void Attach(TcpForwarderBuilder builder)
        {
            builder.Buffers = Pool;
            builder.AddObserver(this);
        }

        public void OnStreaming(ForwardingContext context)
        {
            OutstandingWhenStreaming = Pool.Outstanding;
            RentsWhenStreaming = Pool.Requests.Count;
            _streamed.TrySetResult();
        }
    }
}
