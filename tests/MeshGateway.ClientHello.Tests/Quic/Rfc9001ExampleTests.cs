namespace MeshGateway.ClientHello.Tests.Quic;

/// <summary>RFC 9001 Appendix A (QUIC v1) and RFC 9369 Appendix A (QUIC v2): the client Initial, step by step.</summary>
public class Rfc9001ExampleTests
{
    // Worked out by hand from the RFC's ClientHello with FoxIO's rules (shared/research/ja4.md): TLS 1.3 (supported_versions
    // 0304), SNI present, 2 ciphers (1301, 1302), 11 extensions, ALPN "alpn" -> "an"; b = sha256("1301,1302")[:12];
    // c = sha256("0005,000a,000d,001c,002b,002d,0033,0039,ff01_0403,0503,0603,0203,0804,0805,0806")[:12].
    private const string ExpectedJa4 = "q13d0211an_62ed6f6ca7ad_4d634acda6c0";

    [Theory]
    [InlineData(1u, QuicVectors.V1Key, QuicVectors.V1Iv, QuicVectors.V1Hp)]
    [InlineData(0x6b3343cfu, QuicVectors.V2Key, QuicVectors.V2Iv, QuicVectors.V2Hp)]
    public void Initial_keys_derived_from_the_dcid_match_the_rfc(uint version, string key, string iv, string hp)
    {
        byte[] keys = new byte[QuicInitialKeys.Length];

        QuicInitialKeys.Derive(version, QuicVectors.Dcid, keys);

        Assert.Equal(key, Convert.ToHexStringLower(QuicInitialKeys.Key(keys)));
        Assert.Equal(iv, Convert.ToHexStringLower(QuicInitialKeys.Iv(keys)));
        Assert.Equal(hp, Convert.ToHexStringLower(QuicInitialKeys.HeaderProtection(keys)));
    }

    [Fact]
    public void Header_protection_mask_of_the_rfc_sample_matches()
    {
        Span<byte> mask = stackalloc byte[16];

        QuicPacketProtection.Current.HeaderProtectionMask(Convert.FromHexString(QuicVectors.V1Hp), Convert.FromHexString(QuicVectors.V1Sample), mask);

        Assert.Equal(QuicVectors.V1Mask, Convert.ToHexStringLower(mask[..5]));
    }

    [Theory]
    [InlineData(1u, QuicVectors.V1UnprotectedHeader)]
    [InlineData(0x6b3343cfu, QuicVectors.V2UnprotectedHeader)]
    public void Test_encoder_reproduces_the_rfc_protected_packet(uint version, string unprotectedHeader)
    {
        byte[] packet = QuicPacketBuilder.Protect(version, QuicVectors.Dcid, Convert.FromHexString(unprotectedHeader), 18, 2, QuicVectors.Payload);

        Assert.Equal(version == 1 ? QuicVectors.V1Packet : QuicVectors.V2Packet, packet);
    }

    [Theory]
    [InlineData(1u)]
    [InlineData(0x6b3343cfu)]
    public void Rfc_client_initial_yields_its_client_hello(uint version)
    {
        byte[] packet = version == 1 ? QuicVectors.V1Packet : QuicVectors.V2Packet;

        QuicOutcome outcome = QuicOutcome.Run([packet]);

        Assert.Equal(QuicSniffStatus.Done, outcome.Status);
        Assert.Equal("example.com", outcome.ServerName);
        Assert.Equal("alpn", outcome.Alpn);
        Assert.Equal(Convert.ToHexString(QuicVectors.HandshakeMessage[4..]), outcome.Message);
        Assert.Equal(version, outcome.Version);
        Assert.Equal("8394c8f03e515708", outcome.Dcid);
        Assert.Equal(1, outcome.Datagrams);
        Assert.Equal(ExpectedJa4, outcome.Ja4);
    }

    [Fact]
    public void Rfc_client_initial_reports_the_message_length_with_its_header_and_no_records()
    {
        var state = new QuicInitialParserState(null);
        byte[] buffer = new byte[QuicInitialParserOptions.Default.MaxCryptoBytes];

        QuicSniffStatus status = QuicInitialParser.Parse(QuicVectors.V1Packet, ref state, buffer, out ClientHelloInfo hello);

        Assert.Equal(QuicSniffStatus.Done, status);
        Assert.Equal(241, hello.Length);
        Assert.Equal(0, hello.RecordCount);
        Assert.Equal(1, state.PacketsDecrypted);
    }

    [Fact]
    public void Rfc_client_initial_through_the_sniffer_wrapper_reports_sni_alpn_and_q_ja4()
    {
        using var sniffer = new QuicInitialSniffer();

        Assert.Equal(QuicSniffStatus.Done, sniffer.Sniff(QuicVectors.V1Packet));
        Assert.Equal("example.com", sniffer.GetServerName());
        Assert.Equal(["alpn"], sniffer.GetApplicationProtocols());
        Assert.Equal(ExpectedJa4, sniffer.GetJa4());
        Assert.Equal("8394c8f03e515708", Convert.ToHexStringLower(sniffer.State.DestinationConnectionId));
        Assert.Equal(QuicSniffStatus.Done, sniffer.Sniff(QuicVectors.V1Packet));
    }
}
