using System.Buffers;
using NonNegativeInt = FsCheck.NonNegativeInt;
using FsCheck.Xunit;
using MeshGateway.ClientHello.Tests.Building;
using MeshGateway.Testing.ClientHellos;

namespace MeshGateway.ClientHello.Tests.Captures;

public class CaptureProperties
{
    [Property(MaxTest = 10_000)]
    public void Capture_reframed_into_random_records_and_fed_in_random_chunks_matches_one_shot(NonNegativeInt pick, int seed)
    {
        Assert.SkipWhen(Capture.All.Count == 0, "no captures");
        Capture capture = Capture.All[pick.Get % Capture.All.Count];
        var random = new Random(seed);
        byte[] handshake = ClientHelloBuilder.HandshakeStream(capture.Bytes);
        int[] sizes = Enumerable.Range(0, 1 + random.Next(8)).Select(_ => 1 + random.Next(handshake.Length)).ToArray();
        byte[] reframed = ClientHelloBuilder.Records(handshake, sizes, (ushort)((capture.Bytes[1] << 8) | capture.Bytes[2]));
        int records = 0;
        for (int p = 0; p + 5 <= reframed.Length; p += 5 + ((reframed[p + 3] << 8) | reframed[p + 4]))
        {
            records++;
        }

        int[] cuts = Enumerable.Range(0, random.Next(6)).Select(_ => random.Next(reframed.Length)).ToArray();
        Outcome expected = Parse.OneShot(capture.Bytes) with { Records = records, Length = reframed.Length };

        Assert.Equal(expected, Parse.OneShot(reframed));
        Assert.Equal(expected, Parse.Growing(reframed, cuts));
        Assert.Equal(expected, Parse.Segmented(reframed, cuts));
    }

    [Property(MaxTest = 2_000)]
    public void Sniffer_over_growing_multi_segment_sequences_reports_the_capture(NonNegativeInt pick, int seed)
    {
        Assert.SkipWhen(Capture.All.Count == 0, "no captures");
        Capture capture = Capture.All[pick.Get % Capture.All.Count];
        var random = new Random(seed);
        int[] cuts = Enumerable.Range(0, 1 + random.Next(6)).Select(_ => 1 + random.Next(capture.Bytes.Length - 1)).Order().ToArray();
        using var sniffer = new ClientHelloSniffer();

        foreach (int end in cuts)
        {
            ReadOnlySequence<byte> prefix = Segments.Create(capture.Bytes[..end], cuts.Where(c => c < end));
            Assert.Equal(ClientHelloStatus.NeedMoreData, sniffer.Sniff(prefix));
            Assert.InRange(sniffer.BytesNeeded, 1, capture.Bytes.Length - end);
        }

        Assert.Equal(ClientHelloStatus.Done, sniffer.Sniff(Segments.Create(capture.Bytes, cuts)));
        Assert.Equal(capture.Sni, sniffer.GetServerName());
        Assert.Equal(capture.Alpn, sniffer.GetApplicationProtocols());
        Assert.Equal(capture.Length, sniffer.HelloLength);
        Assert.Equal(capture.Ja3, sniffer.Hello.GetJa3Hash());
    }
}
