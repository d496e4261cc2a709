using MeshGateway.ClientHello.Tests.Building;
using MeshGateway.Testing.ClientHellos;

namespace MeshGateway.ClientHello.Tests;

public class ResumabilityTests
{
    // Slowloris (sni-parsers.md §2 #22): a 16 KiB hello in one-byte records, delivered one byte per call. A parser
    // that re-walks the records from byte 0 on every call reads O(n²) record-layer bytes; the resumable state
    // reads each record header once.
    [Fact]
    public void Hello_in_one_byte_records_fed_one_byte_per_call_reads_each_record_header_once()
    {
        byte[] handshake = ClientHelloBuilder.Handshake(ClientHelloBuilder.Typical() with
        {
            Extensions = [.. ClientHelloBuilder.Typical().Extensions!, Ext.Padding(16000)],
        });
        byte[] records = ClientHelloBuilder.Records(handshake, Enumerable.Repeat(1, handshake.Length));
        var state = new ClientHelloParserState(null);
        ClientHelloStatus status = ClientHelloStatus.NeedMoreData;
        int calls = 0;

        for (int length = 1; status == ClientHelloStatus.NeedMoreData; length++)
        {
            status = ClientHelloParser.Parse(records.AsSpan(0, length), ref state, default, out ClientHelloInfo hello);
            hello.Dispose();
            calls++;
        }

        Assert.Equal(ClientHelloStatus.Done, status);
        Assert.Equal(records.Length, calls);
        Assert.Equal(handshake.Length, state.RecordsRead);
        Assert.Equal((5L * handshake.Length) + 4, state.RecordLayerBytesRead);
    }

    [Fact]
    public void Repeated_calls_with_the_same_prefix_read_nothing_new()
    {
        byte[] hello = ClientHelloBuilder.Build(ClientHelloBuilder.Typical());
        var state = new ClientHelloParserState(null);
        ClientHelloParser.Parse(hello.AsSpan(0, 200), ref state, default, out _);
        long afterFirst = state.RecordLayerBytesRead;

        for (int i = 0; i < 100; i++)
        {
            Assert.Equal(ClientHelloStatus.NeedMoreData, ClientHelloParser.Parse(hello.AsSpan(0, 200), ref state, default, out _));
        }

        Assert.Equal(afterFirst, state.RecordLayerBytesRead);
    }
}
