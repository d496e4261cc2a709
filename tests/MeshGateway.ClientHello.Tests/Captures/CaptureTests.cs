using MeshGateway.ClientHello.Tests.Building;
using MeshGateway.Testing.ClientHellos;

namespace MeshGateway.ClientHello.Tests.Captures;

public class CaptureTests
{
    [Fact]
    public void Captures_are_present_in_the_test_output()
    {
        Assert.NotEmpty(Capture.All);
    }

    [Theory]
    [MemberData(nameof(Capture.Names), MemberType = typeof(Capture))]
    public void Capture_parses_to_what_tshark_decoded(string name)
    {
        Capture capture = Capture.Get(name);

        Outcome outcome = Parse.OneShot(capture.Bytes);

        Assert.Equal(ClientHelloStatus.Done, outcome.Status);
        Assert.Equal(capture.Sni, outcome.ServerName);
        Assert.Equal(string.Join(",", capture.Alpn), outcome.Alpn);
        Assert.Equal(capture.Records, outcome.Records);
        Assert.Equal(capture.Length, outcome.Length);
        Assert.Equal(capture.Bytes.Length, outcome.Length);
        if (capture.Ja3String is not null)
        {
            Assert.Equal(capture.Ja3String, outcome.Ja3);
        }

        if (capture.Ja3 is not null)
        {
            Assert.Equal(capture.Ja3, outcome.Ja3Hash);
        }

        if (capture.Ja4 is not null)
        {
            Assert.Equal(capture.Ja4, outcome.Ja4);
        }
    }

    // The capture helper assembled a JA4 from tshark's decoded fields with its own code (see TestData/README.md):
    // not an independent decoder, but a second implementation of the FoxIO spec to agree with.
    [Theory]
    [MemberData(nameof(Capture.Names), MemberType = typeof(Capture))]
    public void Capture_ja4_agrees_with_the_ja4_assembled_from_tshark_fields(string name)
    {
        Capture capture = Capture.Get(name);
        Assert.SkipWhen(capture.AssembledJa4 is null, "no assembled JA4 in the notes");

        Assert.Equal(capture.AssembledJa4, Parse.OneShot(capture.Bytes).Ja4);
    }

    [Theory]
    [MemberData(nameof(Capture.Names), MemberType = typeof(Capture))]
    public void Capture_truncated_at_every_offset_needs_more_data(string name)
    {
        byte[] bytes = Capture.Get(name).Bytes;
        for (int length = 0; length < bytes.Length; length++)
        {
            ClientHelloStatus status = ClientHelloParser.Parse(bytes.AsSpan(0, length), null, out ClientHelloInfo hello, out int needed, out _);
            hello.Dispose();
            Assert.True(status == ClientHelloStatus.NeedMoreData, $"prefix {length}: {status}");
            Assert.InRange(needed, 1, bytes.Length - length);
        }
    }

    [Theory]
    [MemberData(nameof(Capture.Names), MemberType = typeof(Capture))]
    public void Capture_fed_byte_by_byte_matches_one_shot(string name)
    {
        byte[] bytes = Capture.Get(name).Bytes;

        Assert.Equal(Parse.OneShot(bytes), Parse.ByteByByte(bytes));
    }

    [Theory]
    [MemberData(nameof(Capture.Names), MemberType = typeof(Capture))]
    public void Capture_split_into_two_segments_at_every_offset_matches_one_shot(string name)
    {
        byte[] bytes = Capture.Get(name).Bytes;
        Outcome expected = Parse.OneShot(bytes);
        for (int cut = 1; cut < bytes.Length; cut++)
        {
            Assert.Equal(expected, Parse.Segmented(bytes, [cut]));
        }
    }

    [Theory]
    [MemberData(nameof(Capture.Names), MemberType = typeof(Capture))]
    public void Capture_reframed_into_records_at_every_offset_yields_same_fields(string name)
    {
        byte[] bytes = Capture.Get(name).Bytes;
        byte[] handshake = ClientHelloBuilder.HandshakeStream(bytes);
        Outcome expected = Parse.OneShot(bytes);
        for (int cut = 1; cut < handshake.Length; cut++)
        {
            byte[] reframed = ClientHelloBuilder.Records(handshake, [cut]);
            Outcome outcome = Parse.OneShot(reframed);
            Assert.Equal(expected with { Records = 2, Length = reframed.Length }, outcome);
        }
    }

    [Theory]
    [MemberData(nameof(Capture.Names), MemberType = typeof(Capture))]
    public void Capture_through_the_sniffer_in_tcp_sized_chunks_matches(string name)
    {
        Capture capture = Capture.Get(name);

        var (status, sni, alpn, length) = Parse.Sniffer(capture.Bytes, [1, 3, 5, 6, 9, 100, 512, 1460]);

        Assert.Equal(ClientHelloStatus.Done, status);
        Assert.Equal(capture.Sni, sni);
        Assert.Equal(capture.Alpn, alpn);
        Assert.Equal(capture.Length, length);
    }
}
