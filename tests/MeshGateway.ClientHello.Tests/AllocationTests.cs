using System.Buffers;
using MeshGateway.ClientHello.Tests.Building;
using MeshGateway.ClientHello.Tests.Captures;
using MeshGateway.ClientHello.Tests.EdgeCases;
using MeshGateway.Testing.ClientHellos;

namespace MeshGateway.ClientHello.Tests;

public class AllocationTests
{
    private static readonly ClientHelloParserOptions[] Profiles = [ClientHelloParserOptions.Default, ClientHelloParserOptions.Lenient];

    [Fact]
    public void Parsing_every_fixture_with_fingerprints_allocates_nothing()
    {
        byte[][] inputs = Capture.All.Select(c => c.Bytes)
            .Concat(EdgeCaseFixtures.All.Select(e => e.Bytes))
            .ToArray();
        ReadOnlySequence<byte>[] sequences = inputs.Where(i => i.Length > 2).Select(i => Segments.Create(i, [i.Length / 3, i.Length / 2])).ToArray();
        byte[] scratch = new byte[65536];
        using var sniffer = new ClientHelloSniffer(ClientHelloParserOptions.Lenient);

        RunAll(inputs, sequences, scratch, sniffer); // warm up: JIT, pools, static state

        // The multi-record hellos reassemble in ArrayPool.Shared's buffers, which a gen-2 collection may trim (under a
        // full parallel test run it does): a run right after that rents anew. Steady state is the claim, so the best
        // of three runs must allocate nothing; a parser that allocates per hello fails all three.
        long allocated = long.MaxValue;
        int done = 0;
        for (int run = 0; run < 3 && allocated != 0; run++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            done = RunAll(inputs, sequences, scratch, sniffer);
            allocated = Math.Min(allocated, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        Assert.True(done > 30, $"only {done} hellos parsed");
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void Feeding_a_hello_byte_by_byte_allocates_nothing()
    {
        byte[] hello = Capture.All.Count > 0 ? Capture.All.MaxBy(c => c.Length)!.Bytes : ClientHelloBuilder.Build(ClientHelloBuilder.Typical());
        FeedByteByByte(hello);
        long before = GC.GetAllocatedBytesForCurrentThread();

        ClientHelloStatus status = FeedByteByByte(hello);

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(ClientHelloStatus.Done, status);
    }

    [Fact]
    public void Common_alpn_names_are_returned_as_shared_strings_and_others_decoded_exactly()
    {
        HelloModel model = ClientHelloBuilder.Typical();
        byte[] hello = ClientHelloBuilder.Build(model with
        {
            Extensions = [.. model.Extensions!.Where(e => e.Type != 16), Ext.Alpn("h2", "http/1.1", "h3", "http/1.0", "spdy/3.1")],
        });
        Assert.True(ClientHelloParser.TryParse(hello, out ClientHelloInfo first));
        Assert.True(ClientHelloParser.TryParse(hello, out ClientHelloInfo second));

        string[] a = first.GetApplicationProtocols();
        string[] b = second.GetApplicationProtocols();

        Assert.Equal(["h2", "http/1.1", "h3", "http/1.0", "spdy/3.1"], a);
        Assert.All(a.Take(4).Zip(b.Take(4)), pair => Assert.Same(pair.First, pair.Second)); // registered names: no allocation
        Assert.NotSame(a[4], b[4]);                                                           // any other: decoded each time
    }

    private static ClientHelloStatus FeedByteByByte(byte[] hello)
    {
        var state = new ClientHelloParserState(null);
        ClientHelloStatus status = ClientHelloStatus.NeedMoreData;
        for (int length = 1; length <= hello.Length && status == ClientHelloStatus.NeedMoreData; length++)
        {
            status = ClientHelloParser.Parse(hello.AsSpan(0, length), ref state, default, out ClientHelloInfo info);
            info.Dispose();
        }

        return status;
    }

    private static int RunAll(byte[][] inputs, ReadOnlySequence<byte>[] sequences, byte[] scratch, ClientHelloSniffer sniffer)
    {
        Span<char> ja3 = stackalloc char[32];
        Span<char> ja4 = stackalloc char[36];
        int done = 0;
        foreach (byte[] input in inputs)
        {
            foreach (ClientHelloParserOptions options in Profiles)
            {
                var state = new ClientHelloParserState(options);
                if (ClientHelloParser.Parse(input, ref state, default, out ClientHelloInfo hello) == ClientHelloStatus.Done)
                {
                    done++;
                    hello.TryFormatJa3Hash(ja3, out _);
                    hello.TryFormatJa4(ja4, out _);
                    _ = hello.ServerNameEquals("example.com");
                }

                hello.Dispose();
            }

            sniffer.Reset();
            if (sniffer.Sniff(input) == ClientHelloStatus.Done)
            {
                sniffer.Hello.TryFormatJa4(ja4, out _);
            }
        }

        foreach (ReadOnlySequence<byte> sequence in sequences)
        {
            var state = new ClientHelloParserState(ClientHelloParserOptions.Lenient);
            ClientHelloParser.Parse(sequence, ref state, scratch, out ClientHelloInfo hello);
            hello.Dispose();
        }

        return done;
    }
}
