using System.Buffers;
using System.IO.Pipelines;
using MeshGateway.ClientHello;
using MeshGateway.Testing;

namespace MeshGateway.Forwarding.AspNetCore.Tests;

/// <summary>The peek's pipe contract (Kestrel TlsListenerTests): nothing consumed, no busy loop, every byte left for the next reader.</summary>
public class ClientHelloPeekTests
{
    /// <summary>The forwarder's default wire cap (<see cref="ForwarderOptions.MaxClientHelloBytes"/>).</summary>
    private const int WireCap = 16 * 1024;

    private static readonly byte[] Hello = CaptureFiles.ClientHello("curl.bin");

    [Fact]
    public async Task Hello_written_one_byte_at_a_time_is_read_once_per_write_and_left_whole_in_the_pipe()
    {
        var pipe = new Pipe();
        var reader = new CountingPipeReader(pipe.Reader);
        var peek = ClientHelloPeek.PeekAsync(reader, WireCap, ClientHelloParserOptions.Default, TestContext.Current.CancellationToken).AsTask();
        foreach (byte b in Hello)
        {
            await pipe.Writer.WriteAsync(new[] { b }, TestContext.Current.CancellationToken);
        }

        var (status, hello) = await peek;

        Assert.Equal(ClientHelloStatus.Done, status);
        Assert.Equal("web.default.dc2.internal.11111111-2222-3333-4444-555555555555.consul", hello!.ServerName);
        // AdvanceTo(start, end) while waiting: a read returns only when new bytes came, never spins on old ones.
        Assert.InRange(reader.Reads, 1, Hello.Length);
        Assert.Equal(Hello, await ReadBufferedAsync(pipe.Reader));
    }

    [Fact]
    public async Task Hello_and_early_bytes_in_one_write_are_decided_in_one_read_and_all_left_in_the_pipe()
    {
        var pipe = new Pipe();
        var reader = new CountingPipeReader(pipe.Reader);
        byte[] coalesced = [.. Hello, 1, 2, 3];
        await pipe.Writer.WriteAsync(coalesced, TestContext.Current.CancellationToken);

        var (status, _) = await ClientHelloPeek.PeekAsync(reader, WireCap, ClientHelloParserOptions.Default, TestContext.Current.CancellationToken);

        Assert.Equal(ClientHelloStatus.Done, status);
        Assert.Equal(1, reader.Reads);
        Assert.Equal(coalesced, await ReadBufferedAsync(pipe.Reader));
    }

    [Fact]
    public async Task Plain_http_is_not_tls_and_is_left_unread()
    {
        var pipe = new Pipe();
        byte[] http = "GET / HTTP/1.1\r\n"u8.ToArray();
        await pipe.Writer.WriteAsync(http, TestContext.Current.CancellationToken);

        var (status, hello) = await ClientHelloPeek.PeekAsync(pipe.Reader, WireCap, ClientHelloParserOptions.Default, TestContext.Current.CancellationToken);

        Assert.Equal(ClientHelloStatus.NotTls, status);
        Assert.Null(hello);
        Assert.Equal(http, await ReadBufferedAsync(pipe.Reader));
    }

    [Fact]
    public async Task Client_that_ends_mid_hello_still_needs_more_data()
    {
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync(Hello.AsMemory(0, 40), TestContext.Current.CancellationToken);
        await pipe.Writer.CompleteAsync();

        var (status, _) = await ClientHelloPeek.PeekAsync(pipe.Reader, WireCap, ClientHelloParserOptions.Default, TestContext.Current.CancellationToken);

        Assert.Equal(ClientHelloStatus.NeedMoreData, status);
        Assert.Equal(Hello.AsMemory(0, 40).ToArray(), await ReadBufferedAsync(pipe.Reader));
    }

    [Fact]
    public async Task Silent_client_still_needs_more_data_when_the_deadline_passes()
    {
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync(Hello.AsMemory(0, 10), TestContext.Current.CancellationToken);
        using var deadline = new CancellationTokenSource();
        var peek = ClientHelloPeek.PeekAsync(pipe.Reader, WireCap, ClientHelloParserOptions.Default, deadline.Token).AsTask();

        await deadline.CancelAsync();

        Assert.Equal(ClientHelloStatus.NeedMoreData, (await peek).Status);
    }

    private static async Task<byte[]> ReadBufferedAsync(PipeReader reader)
    {
        ReadResult result = await reader.ReadAsync(TestContext.Current.CancellationToken);
        byte[] bytes = result.Buffer.ToArray();
        reader.AdvanceTo(result.Buffer.End);
        return bytes;
    }

    /// <summary>Counts ReadAsync calls (Kestrel's ObservablePipeReader) to catch a busy loop.</summary>
    private sealed class CountingPipeReader(PipeReader inner) : PipeReader
    {
        public int Reads { get; private set; }

        public override void AdvanceTo(SequencePosition consumed) => inner.AdvanceTo(consumed);

        public override void AdvanceTo(SequencePosition consumed, SequencePosition examined) => inner.AdvanceTo(consumed, examined);

        public override void CancelPendingRead() => inner.CancelPendingRead();

        public override void Complete(Exception? exception = null) => inner.Complete(exception);

        public override ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
        {
            Reads++;
            return inner.ReadAsync(cancellationToken);
        }

        public override bool TryRead(out ReadResult result) => inner.TryRead(out result);
    }
}
