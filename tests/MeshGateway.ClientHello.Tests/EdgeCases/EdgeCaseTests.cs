using MeshGateway.ClientHello.Tests.Building;
using MeshGateway.Testing.ClientHellos;

namespace MeshGateway.ClientHello.Tests.EdgeCases;

public class EdgeCaseTests
{
    [Theory]
    [MemberData(nameof(EdgeCaseFixtures.Ids), MemberType = typeof(EdgeCaseFixtures))]
    public void Edge_case_yields_the_expected_status_and_reason(string id)
    {
        EdgeCase edge = EdgeCaseFixtures.Get(id);

        Outcome outcome = Parse.OneShot(edge.Bytes, edge.Options);

        Assert.Equal(edge.Expected, outcome.Status);
        Assert.Equal(edge.Reason, outcome.Reason);
        edge.Check?.Invoke(outcome);
    }

    [Theory]
    [MemberData(nameof(EdgeCaseFixtures.Ids), MemberType = typeof(EdgeCaseFixtures))]
    public void Edge_case_fed_byte_by_byte_matches_one_shot(string id)
    {
        EdgeCase edge = EdgeCaseFixtures.Get(id);

        Assert.Equal(Parse.OneShot(edge.Bytes, edge.Options), Parse.ByteByByte(edge.Bytes, edge.Options));
    }

    [Theory]
    [MemberData(nameof(EdgeCaseFixtures.Ids), MemberType = typeof(EdgeCaseFixtures))]
    public void Edge_case_as_a_sequence_split_in_two_at_every_offset_matches_one_shot(string id)
    {
        EdgeCase edge = EdgeCaseFixtures.Get(id);
        Outcome expected = Parse.OneShot(edge.Bytes, edge.Options);
        for (int cut = 1; cut < edge.Bytes.Length; cut++)
        {
            Assert.Equal(expected, Parse.Segmented(edge.Bytes, [cut], edge.Options));
        }
    }

    [Theory]
    [MemberData(nameof(EdgeCaseFixtures.DoneIds), MemberType = typeof(EdgeCaseFixtures))]
    public void Valid_edge_case_truncated_at_every_offset_needs_more_data(string id)
    {
        EdgeCase edge = EdgeCaseFixtures.Get(id);
        int helloLength = Parse.OneShot(edge.Bytes, edge.Options).Length;
        for (int length = 0; length < helloLength; length++)
        {
            Outcome outcome = Parse.OneShot(edge.Bytes[..length], edge.Options);
            Assert.True(outcome.Status == ClientHelloStatus.NeedMoreData, $"prefix {length}: {outcome.Status} {outcome.Reason}");
        }
    }

    [Fact]
    public void Not_tls_is_decided_on_the_first_byte()
    {
        Assert.Equal(ClientHelloStatus.NotTls, Parse.OneShot("G"u8.ToArray()).Status);
        Assert.Equal(ClientHelloStatus.NotTls, Parse.OneShot([0x00]).Status);
        Assert.Equal(ClientHelloStatus.NotTls, Parse.OneShot("S"u8.ToArray()).Status);
    }

    [Fact]
    public void Too_large_is_decided_on_the_handshake_header_alone()
    {
        byte[] header = [0x16, 0x03, 0x01, 0x40, 0x00, 0x01, 0x00, 0x40, 0x01]; // handshake length 16385

        Assert.Equal(ClientHelloStatus.TooLarge, Parse.OneShot(header).Status);
        Assert.Equal(ClientHelloStatus.NeedMoreData, Parse.OneShot(header, new ClientHelloParserOptions(maxHandshakeLength: 65536)).Status);
    }

    [Fact]
    public void Need_more_data_reports_the_bytes_still_missing_from_the_record()
    {
        byte[] hello = ClientHelloBuilder.Build(ClientHelloBuilder.Typical());

        ClientHelloParser.Parse(hello.AsSpan(0, 100), null, out ClientHelloInfo info, out int needed, out _);
        info.Dispose();
        ClientHelloParser.Parse(hello.AsSpan(0, 3), null, out info, out int neededForHeader, out _);

        Assert.Equal(hello.Length - 100, needed);
        Assert.Equal(2, neededForHeader);
    }

    [Fact]
    public void Server_name_comparison_is_ascii_case_insensitive_and_ignores_one_trailing_dot()
    {
        byte[] hello = ClientHelloBuilder.Build(ClientHelloBuilder.Typical("ExAmple.COM"));
        Assert.True(ClientHelloParser.TryParse(hello, out ClientHelloInfo info));

        Assert.True(info.ServerNameEquals("example.com"));
        Assert.True(info.ServerNameEquals("EXAMPLE.COM."));
        Assert.False(info.ServerNameEquals("example.co"));
        Assert.False(info.ServerNameEquals("exbmple.com"));
        Assert.True(info.ServerName.SequenceEqual("ExAmple.COM"u8));
    }

    [Fact]
    public void Fields_are_exposed_in_wire_order()
    {
        byte[] hello = ClientHelloBuilder.Build(ClientHelloBuilder.Typical());
        Assert.True(ClientHelloParser.TryParse(hello, out ClientHelloInfo info));

        Assert.Equal([0x1301, 0x1302, 0x1303, 0xC02B, 0xC02F], ToList(info.CipherSuites));
        Assert.Equal([0x001D, 0x0017], ToList(info.SupportedGroups));
        Assert.Equal([0x0403, 0x0804, 0x0401], ToList(info.SignatureAlgorithms));
        Assert.Equal([0x0304, 0x0303], ToList(info.SupportedVersions));
        var groups = new List<ushort>();
        foreach (ushort g in info.KeyShareGroups)
        {
            groups.Add(g);
        }

        Assert.Equal([0x001D], groups);
        var types = new List<ushort>();
        foreach (TlsExtension e in info.Extensions)
        {
            types.Add(e.Type);
        }

        Assert.Equal([0, 10, 11, 13, 16, 43, 51], types);
        Assert.Equal([0], info.EcPointFormats.ToArray());
        Assert.Equal(32, info.SessionIdLength);
        Assert.Equal(1, info.RecordCount);
        Assert.False(info.GreaseSeen);
        Assert.Equal(ClientHelloEchKind.None, info.Ech);
    }

    [Fact]
    public void Reassembly_uses_the_callers_buffer_when_it_is_large_enough()
    {
        byte[] handshake = ClientHelloBuilder.Handshake(ClientHelloBuilder.Typical());
        byte[] records = ClientHelloBuilder.Records(handshake, [50]);
        byte[] scratch = new byte[4096];
        var state = new ClientHelloParserState(null);

        Assert.Equal(ClientHelloStatus.Done, ClientHelloParser.Parse(records, ref state, scratch, out ClientHelloInfo info));

        Assert.True(info.Message.Overlaps(scratch));
        Assert.True(info.Message.SequenceEqual(handshake.AsSpan(4)));
    }

    [Fact]
    public void A_shorter_buffer_than_last_time_is_a_caller_bug()
    {
        byte[] hello = ClientHelloBuilder.Build(ClientHelloBuilder.Typical());
        using var sniffer = new ClientHelloSniffer();
        sniffer.Sniff(hello.AsSpan(0, 100));

        Assert.Throws<ArgumentException>(() => sniffer.Sniff(hello.AsSpan(0, 50)));
    }

    [Fact]
    public void Sniffer_keeps_the_hello_after_the_callers_buffer_changes_and_resets_for_reuse()
    {
        byte[] hello = ClientHelloBuilder.Build(ClientHelloBuilder.Typical("first.example"));
        using var sniffer = new ClientHelloSniffer();

        Assert.Equal(ClientHelloStatus.Done, sniffer.Sniff(hello));
        Array.Clear(hello);

        Assert.Equal("first.example", sniffer.GetServerName());
        Assert.Equal(["h2", "http/1.1"], sniffer.GetApplicationProtocols());
        sniffer.Reset();
        Assert.Equal(ClientHelloStatus.NeedMoreData, sniffer.Status);
        Assert.Equal(ClientHelloStatus.Done, sniffer.Sniff(ClientHelloBuilder.Build(ClientHelloBuilder.Typical("second.example"))));
        Assert.Equal("second.example", sniffer.GetServerName());
    }

    [Fact]
    public void Options_report_every_invalid_argument_at_once()
    {
        var error = Assert.Throws<ArgumentException>(() => new ClientHelloParserOptions((ClientHelloProfile)7, 10));

        Assert.Contains("profile", error.Message, StringComparison.Ordinal);
        Assert.Contains("maxHandshakeLength", error.Message, StringComparison.Ordinal);
    }

    private static List<ushort> ToList(TlsUInt16List list)
    {
        var values = new List<ushort>();
        foreach (ushort v in list)
        {
            values.Add(v);
        }

        return values;
    }
}
