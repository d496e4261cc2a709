using System.IO.Pipelines;
using MeshGateway.ClientHello;
using MeshGateway.Testing;

namespace MeshGateway.Forwarding.AspNetCore.Tests;

/// <summary>The peek's cap on wire bytes (issue 14 item 6; issue 15: one wire cap, the forwarder's): tiny records must not buffer several times the handshake limit.</summary>
public class ClientHelloPeekWireCapTests
{
    [Fact]
    public async Task Hello_in_one_byte_records_past_the_wire_cap_is_given_up_with_every_byte_left_in_the_pipe()
    {
        // A real hello (curl's) re-framed with each handshake byte in its own 6-byte record: 6x the handshake on the
        // wire. The handshake stays within the parser's limit; only the wire cap can stop it.
        (byte[] handshake, ClientHelloParserOptions options) = CurlHandshake();
        int cap = 2 * handshake.Length;
        var pipe = new Pipe();
        long written = 0;
        foreach (byte b in handshake)
        {
            byte[] record = [0x16, 0x03, 0x01, 0x00, 0x01, b];
            await pipe.Writer.WriteAsync(record, TestContext.Current.CancellationToken);
            written += record.Length;
        }

        var (status, hello) = await ClientHelloPeek.PeekAsync(pipe.Reader, cap, options, TestContext.Current.CancellationToken);

        // Without the cap the whole 6x burst was buffered and parsed into a whole hello.
        Assert.Equal(ClientHelloStatus.TooLarge, status);
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

        // A wire cap exactly the two records: enough, however tight.
        var (status, hello) = await ClientHelloPeek.PeekAsync(pipe.Reader, twoRecords.Length, options, TestContext.Current.CancellationToken);

        Assert.Equal(ClientHelloStatus.Done, status);
        Assert.NotNull(hello!.ServerName);
    }

    /// <summary>curl's ClientHello handshake message (its single record's body) and parser options whose limit holds it.</summary>
    private static (byte[] Handshake, ClientHelloParserOptions Options) CurlHandshake()
    {
        byte[] wire = CaptureFiles.ClientHello("curl.bin");
        int recordLength = (wire[3] << 8) | wire[4];
        byte[] handshake = wire.AsSpan(5, recordLength).ToArray();
        return (handshake, new ClientHelloParserOptions(maxHandshakeLength: Math.Max(ClientHelloParserOptions.MinMaxHandshakeLength, handshake.Length)));
    }
}
