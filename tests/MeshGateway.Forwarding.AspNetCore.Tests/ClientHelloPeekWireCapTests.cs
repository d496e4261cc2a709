using System.IO.Pipelines;
using MeshGateway.ClientHello;

namespace MeshGateway.Forwarding.AspNetCore.Tests;

/// <summary>The peek's cap on wire bytes (issue 14 item 6): tiny records must not buffer several times the handshake limit.</summary>
public class ClientHelloPeekWireCapTests
{
    [Fact]
    public async Task Hello_in_one_byte_records_past_the_wire_cap_is_given_up_with_every_byte_left_in_the_pipe()
    {
        // A real hello (curl's) re-framed with each handshake byte in its own 6-byte record: 6x the handshake on the
        // wire. The handshake stays within the parser's limit; only the wire cap can stop it.
        (byte[] handshake, ClientHelloParserOptions options) = CurlHandshake();
        int cap = ClientHelloPeek.MaxWireBytes(options.MaxHandshakeLength);
        Assert.True(6 * handshake.Length > cap, "the hello is too small to pass the cap in 1-byte records");
        var pipe = new Pipe();
        long written = 0;
        foreach (byte b in handshake)
        {
            byte[] record = [0x16, 0x03, 0x01, 0x00, 0x01, b];
            await pipe.Writer.WriteAsync(record, TestContext.Current.CancellationToken);
            written += record.Length;
        }

        var (status, hello) = await ClientHelloPeek.PeekAsync(pipe.Reader, options, TestContext.Current.CancellationToken);

        // Before the cap the whole 6x burst was buffered and parsed into a Complete hello.
        Assert.Equal(PeekStatus.NotClientHello, status);
        Assert.Null(hello);
        ReadResult left = await pipe.Reader.ReadAsync(TestContext.Current.CancellationToken);
        Assert.Equal(written, left.Buffer.Length); // nothing consumed: the next middleware sees every byte
    }

    [Fact]
    public async Task Hello_in_ordinary_records_within_the_cap_still_completes()
    {
        (byte[] handshake, ClientHelloParserOptions options) = CurlHandshake();

        // Split in two records, as a client with a small record size limit would.
        int half = handshake.Length / 2;
        byte[] twoRecords =
        [
            0x16, 0x03, 0x01, (byte)(half >> 8), (byte)half, .. handshake.AsSpan(0, half),
            0x16, 0x03, 0x01, (byte)((handshake.Length - half) >> 8), (byte)(handshake.Length - half), .. handshake.AsSpan(half),
        ];
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync(twoRecords, TestContext.Current.CancellationToken);

        var (status, hello) = await ClientHelloPeek.PeekAsync(pipe.Reader, options, TestContext.Current.CancellationToken);

        Assert.Equal(PeekStatus.Complete, status);
        Assert.NotNull(hello!.ServerName);
    }

    [Fact]
    public void Wire_cap_leaves_room_for_a_full_hello_in_ordinary_records()
    {
        foreach (int limit in new[] { ClientHelloParserOptions.MinMaxHandshakeLength, ClientHelloParserOptions.DefaultMaxHandshakeLength, ClientHelloParserOptions.HardMaxHandshakeLength })
        {
            // The limit plus its 4-byte header, split in records of at most 2^14 bytes (RFC 8446 §5.1), with 5-byte headers.
            int records = ((limit + 4) / 16384) + 1;
            Assert.True(ClientHelloPeek.MaxWireBytes(limit) >= limit + 4 + (5 * records));
            Assert.True(ClientHelloPeek.MaxWireBytes(limit) < 2 * (limit + 4) + 400);
        }
    }

    /// <summary>curl's ClientHello handshake message (its single record's body) and parser options whose limit holds it.</summary>
    private static (byte[] Handshake, ClientHelloParserOptions Options) CurlHandshake()
    {
        byte[] wire = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "TestData", "client-hellos", "curl.bin"));
        int recordLength = (wire[3] << 8) | wire[4];
        byte[] handshake = wire.AsSpan(5, recordLength).ToArray();
        return (handshake, new ClientHelloParserOptions(maxHandshakeLength: Math.Max(ClientHelloParserOptions.MinMaxHandshakeLength, handshake.Length)));
    }
}
