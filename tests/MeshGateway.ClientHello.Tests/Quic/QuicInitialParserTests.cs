using static MeshGateway.ClientHello.Tests.Quic.QuicPacketBuilder;

namespace MeshGateway.ClientHello.Tests.Quic;

/// <summary>Each outcome of the QUIC front end, on packets built by the test encoder.</summary>
public class QuicInitialParserTests
{
    private static readonly byte[] Dcid = Convert.FromHexString("0011223344556677");
    private static readonly byte[] Hello = QuicVectors.HandshakeMessage;

    private static byte[] Frames(params byte[][] frames) => [.. frames.SelectMany(f => f)];

    private static byte[] HelloDatagram(uint version = V1, long packetNumber = 0) => Datagram(version, Dcid, Crypto(0, Hello), packetNumber);

    [Theory]
    [InlineData("")]
    [InlineData("40")]
    [InlineData("160301")]
    [InlineData("474554202f20485454502f312e310d0a")]
    public void First_datagram_without_a_long_header_is_not_quic(string hex)
    {
        Assert.Equal(QuicSniffStatus.NotQuic, QuicOutcome.Run([Convert.FromHexString(hex)]).Status);
    }

    [Theory]
    [InlineData(0x00000000u)]
    [InlineData(0x1a2a3a4au)]
    [InlineData(0xff00001du)]
    public void Other_versions_are_unsupported_and_reported(uint version)
    {
        byte[] datagram = HelloDatagram();
        datagram[1] = (byte)(version >> 24);
        datagram[2] = (byte)(version >> 16);
        datagram[3] = (byte)(version >> 8);
        datagram[4] = (byte)version;

        QuicOutcome outcome = QuicOutcome.Run([datagram]);

        Assert.Equal(QuicSniffStatus.UnsupportedVersion, outcome.Status);
        Assert.Equal(version, outcome.Version);
    }

    [Fact]
    public void Generated_v2_initial_split_over_two_datagrams_gives_the_hello()
    {
        QuicOutcome outcome = QuicOutcome.Run([
            Datagram(V2, Dcid, Crypto(100, Hello.AsSpan(100)), 0),
            Datagram(V2, Dcid, Crypto(0, Hello.AsSpan(0, 100)), 1),
        ]);

        Assert.Equal(QuicSniffStatus.Done, outcome.Status);
        Assert.Equal("example.com", outcome.ServerName);
        Assert.Equal(0x6b3343cfu, outcome.Version);
        Assert.Equal(2, outcome.Datagrams);
    }

    [Theory]
    [InlineData("c000000001", QuicMalformedReason.HeaderTruncated)]
    [InlineData("c00000000115", QuicMalformedReason.ConnectionIdTooLong)]
    [InlineData("c000000001080011223344556677", QuicMalformedReason.HeaderTruncated)]
    [InlineData("c00000000108001122334455667700", QuicMalformedReason.HeaderTruncated)]
    [InlineData("c0000000010800112233445566770005aa", QuicMalformedReason.TokenOverrun)]
    [InlineData("c000000001080011223344556677000044d0", QuicMalformedReason.PacketLengthOverrun)]
    [InlineData("c0000000010800112233445566770000050000000000", QuicMalformedReason.PacketTooShort)]
    public void Broken_long_headers_are_malformed_with_the_failed_check(string hex, QuicMalformedReason reason)
    {
        var options = new QuicInitialParserOptions(requireMinimumDatagramSize: false);

        QuicOutcome outcome = QuicOutcome.Run([Convert.FromHexString(hex)], options);

        Assert.Equal(QuicSniffStatus.Malformed, outcome.Status);
        Assert.Equal(reason, outcome.Reason);
    }

    [Fact]
    public void Initial_in_a_datagram_under_1200_bytes_is_malformed_unless_allowed()
    {
        byte[] small = Initial(V1, Dcid, Crypto(0, Hello));

        Assert.Equal(QuicMalformedReason.DatagramTooSmall, QuicOutcome.Run([small]).Reason);
        Assert.Equal(QuicSniffStatus.Done, QuicOutcome.Run([small], new(requireMinimumDatagramSize: false)).Status);
    }

    [Theory]
    [InlineData("08000161", QuicMalformedReason.FrameNotAllowedInInitial)]     // STREAM
    [InlineData("1d000000", QuicMalformedReason.FrameNotAllowedInInitial)]     // CONNECTION_CLOSE (application)
    [InlineData("1e", QuicMalformedReason.FrameNotAllowedInInitial)]           // HANDSHAKE_DONE
    [InlineData("4006000100", QuicMalformedReason.FrameTypeNotMinimal)]        // CRYPTO in two bytes
    [InlineData("020a00000b", QuicMalformedReason.InvalidAckRange)]            // first range below 0
    [InlineData("020a000100000a01", QuicMalformedReason.InvalidAckRange)]      // second range below 0
    [InlineData("020a000100ffffffffffffffffffffffffffffffff", QuicMalformedReason.InvalidAckRange)] // the largest gap and length
    [InlineData("0600", QuicMalformedReason.FrameTruncated)]
    [InlineData("1c0000", QuicMalformedReason.FrameTruncated)]
    [InlineData("06ffffffffffffffff0100", QuicMalformedReason.CryptoOffsetOverflow)]
    [InlineData("06000102", QuicMalformedReason.NotClientHello)]               // a ServerHello's type
    public void Bad_frames_are_malformed_with_the_failed_check(string frameHex, QuicMalformedReason reason)
    {
        // The frame under test, then no PADDING: the packet ends with it.
        byte[] frames = Convert.FromHexString(frameHex);
        byte[] packet = Initial(V1, Dcid, frames);

        QuicOutcome outcome = QuicOutcome.Run([packet], new(requireMinimumDatagramSize: false));

        Assert.Equal(QuicSniffStatus.Malformed, outcome.Status);
        Assert.Equal(reason, outcome.Reason);
    }

    [Fact]
    public void Initial_with_no_frames_is_malformed()
    {
        QuicOutcome outcome = QuicOutcome.Run([Initial(V1, Dcid, [])], new(requireMinimumDatagramSize: false));

        Assert.Equal(QuicMalformedReason.EmptyPayload, outcome.Reason);
    }

    [Fact]
    public void Ping_ack_connection_close_and_padding_around_crypto_are_walked_past()
    {
        byte[] frames = Frames(
            [0x01],
            [0x03, 0x05, 0x00, 0x01, 0x01, 0x00, 0x01, 0x01, 0x02, 0x03],   // ACK+ECN: 5, ranges [4..5], [0..1]
            [0x00, 0x00, 0x00],
            Crypto(50, Hello.AsSpan(50)),
            [0x01],
            Crypto(0, Hello.AsSpan(0, 50)));

        QuicOutcome outcome = QuicOutcome.Run([Datagram(V1, Dcid, Frames([0x1c, 0x00, 0x00, 0x02, 0x68, 0x69], [0x01]), 0), Datagram(V1, Dcid, frames, 1)]);

        Assert.Equal(QuicSniffStatus.Done, outcome.Status);
        Assert.Equal("example.com", outcome.ServerName);
    }

    [Fact]
    public void Retransmitted_crypto_bytes_that_agree_are_accepted()
    {
        QuicOutcome outcome = QuicOutcome.Run([
            Datagram(V1, Dcid, Crypto(0, Hello.AsSpan(0, 120)), 0),
            Datagram(V1, Dcid, Frames(Crypto(60, Hello.AsSpan(60, 100)), Crypto(100, Hello.AsSpan(100))), 1),
        ]);

        Assert.Equal(QuicSniffStatus.Done, outcome.Status);
    }

    [Fact]
    public void Crypto_bytes_that_disagree_with_earlier_ones_are_malformed()
    {
        byte[] changed = Hello.AsSpan(60, 100).ToArray();
        changed[30] ^= 1;

        QuicOutcome outcome = QuicOutcome.Run([
            Datagram(V1, Dcid, Crypto(0, Hello.AsSpan(0, 120)), 0),
            Datagram(V1, Dcid, Crypto(60, changed), 1),
        ]);

        Assert.Equal(QuicMalformedReason.CryptoDataConflict, outcome.Reason);
    }

    [Fact]
    public void Reserved_bits_set_under_protection_are_malformed()
    {
        byte[] packet = Initial(V1, Dcid, PadTo1200(Crypto(0, Hello), Dcid), reservedBits: 0x04);

        Assert.Equal(QuicMalformedReason.ReservedBitsSet, QuicOutcome.Run([packet]).Reason);
    }

    [Fact]
    public void Tag_that_does_not_match_is_an_authentication_failure()
    {
        byte[] datagram = HelloDatagram();
        datagram[^1] ^= 0x80;

        Assert.Equal(QuicMalformedReason.AuthenticationFailed, QuicOutcome.Run([datagram]).Reason);
    }

    [Fact]
    public void Malformed_client_hello_reports_the_client_hello_reason()
    {
        byte[] hello = (byte[])Hello.Clone();
        hello[4 + 2 + 32 + 1 + 1] = 0x05; // cipher_suites length 4 -> 5

        QuicOutcome outcome = QuicOutcome.Run([Datagram(V1, Dcid, Crypto(0, hello), 0)]);

        Assert.Equal(QuicMalformedReason.ClientHello, outcome.Reason);
        Assert.Equal(ClientHelloMalformedReason.CipherSuitesOddLength, outcome.HelloReason);
    }

    [Fact]
    public void Handshake_length_over_the_cap_is_too_large()
    {
        QuicOutcome outcome = QuicOutcome.Run([Datagram(V1, Dcid, Crypto(0, [0x01, 0x00, 0x40, 0x01]), 0)]);

        Assert.Equal(QuicSniffStatus.TooLarge, outcome.Status);
        Assert.Equal(QuicSniffLimit.CryptoBytes, outcome.Limit);
    }

    [Fact]
    public void Crypto_data_beyond_the_cap_is_too_large()
    {
        QuicOutcome outcome = QuicOutcome.Run([Datagram(V1, Dcid, Crypto(16385, [1, 2, 3, 4]), 0)]);

        Assert.Equal(QuicSniffLimit.CryptoBytes, outcome.Limit);
    }

    [Fact]
    public void More_holes_than_allowed_is_too_large()
    {
        byte[] frames = Frames(Crypto(10, Hello.AsSpan(10, 10)), Crypto(30, Hello.AsSpan(30, 10)));

        QuicOutcome outcome = QuicOutcome.Run([Datagram(V1, Dcid, frames, 0)], new(maxCryptoGaps: 1));

        Assert.Equal(QuicSniffLimit.CryptoGaps, outcome.Limit);
        Assert.Equal(QuicSniffStatus.Done, QuicOutcome.Run([Datagram(V1, Dcid, Frames(frames, Crypto(0, Hello)), 0)], new(maxCryptoGaps: 2)).Status);
    }

    [Fact]
    public void Hello_not_complete_within_the_datagram_limit_is_too_large()
    {
        byte[][] datagrams = [.. Enumerable.Range(0, 3).Select(i => Datagram(V1, Dcid, Crypto(10 * i, Hello.AsSpan(10 * i, 10)), i))];

        QuicOutcome outcome = QuicOutcome.Run(datagrams, new(maxDatagrams: 3));

        Assert.Equal(QuicSniffLimit.Datagrams, outcome.Limit);
        Assert.Equal(3, outcome.Datagrams);
    }

    [Fact]
    public void Decryptions_beyond_the_limit_are_too_large()
    {
        QuicOutcome outcome = QuicOutcome.Run([Datagram(V1, Dcid, [0x01], 0), Datagram(V1, Dcid, [0x01], 1)], new(maxAeadAttempts: 1));

        Assert.Equal(QuicSniffLimit.AeadAttempts, outcome.Limit);
    }

    [Fact]
    public void Coalesced_packets_beyond_the_limit_are_too_large()
    {
        byte[] datagram = [.. Initial(V1, Dcid, [0x01], 0), .. Initial(V1, Dcid, PadTo1200(Crypto(0, Hello), Dcid), 1)];

        Assert.Equal(QuicSniffLimit.PacketsPerDatagram, QuicOutcome.Run([datagram], new(maxPacketsPerDatagram: 1)).Limit);
        Assert.Equal(QuicSniffStatus.Done, QuicOutcome.Run([datagram]).Status);
    }

    [Fact]
    public void Zero_rtt_packet_and_padding_after_the_initial_are_skipped()
    {
        byte[] zeroRtt = [0xD0, 0, 0, 0, 1, (byte)Dcid.Length, .. Dcid, 0, 0x05, 1, 2, 3, 4, 5];
        byte[] datagram = [.. Initial(V1, Dcid, Crypto(0, Hello)), .. zeroRtt, .. new byte[900]];

        QuicOutcome outcome = QuicOutcome.Run([datagram]);

        Assert.Equal(QuicSniffStatus.Done, outcome.Status);
    }

    [Fact]
    public void Coalesced_packet_with_another_dcid_is_ignored()
    {
        byte[] other = Initial(V1, [9, 9, 9, 9, 9, 9, 9, 9], [0x01]);
        byte[] datagram = [.. Initial(V1, Dcid, Crypto(0, Hello.AsSpan(0, 100))), .. other, .. new byte[1100]];

        QuicOutcome outcome = QuicOutcome.Run([datagram, Datagram(V1, Dcid, Crypto(100, Hello.AsSpan(100)), 1)]);

        Assert.Equal(QuicSniffStatus.Done, outcome.Status);
        Assert.Equal(0, outcome.Ignored);
    }

    [Fact]
    public void Datagram_of_another_version_or_short_header_after_the_first_is_ignored()
    {
        byte[] v2 = Datagram(V2, Dcid, Crypto(0, Hello), 0);
        byte[] shortHeader = [0x40, .. Dcid, 1, 2, 3];

        QuicOutcome outcome = QuicOutcome.Run([Datagram(V1, Dcid, [0x01], 0), v2, shortHeader, HelloDatagram(V1, 1)]);

        Assert.Equal(QuicSniffStatus.Done, outcome.Status);
        Assert.Equal(2, outcome.Ignored);
        Assert.Equal(1u, outcome.Version);
    }

    [Fact]
    public void Final_status_and_done_repeat_on_later_calls()
    {
        var state = new QuicInitialParserState(null);
        byte[] buffer = new byte[QuicInitialParser.MinCryptoBufferLength + 100];

        Assert.Equal(QuicSniffStatus.Done, QuicInitialParser.Parse(HelloDatagram(), ref state, buffer, out _));
        Assert.Equal(QuicSniffStatus.Done, QuicInitialParser.Parse([], ref state, buffer, out ClientHelloInfo again));
        Assert.Equal("example.com", again.GetServerName());

        state.Reset();
        Assert.Equal(QuicSniffStatus.NotQuic, QuicInitialParser.Parse([0x16], ref state, buffer, out _));
        Assert.Equal(QuicSniffStatus.NotQuic, QuicInitialParser.Parse(HelloDatagram(), ref state, buffer, out _));
    }

    [Fact]
    public void Crypto_buffer_too_short_or_of_another_length_is_a_caller_error()
    {
        var state = new QuicInitialParserState(null);

        Assert.Throws<ArgumentException>(() => QuicInitialParser.Parse(HelloDatagram(), ref state, new byte[100], out _));
        QuicInitialParser.Parse(Datagram(V1, Dcid, [0x01], 0), ref state, new byte[300], out _);
        Assert.Throws<ArgumentException>(() => QuicInitialParser.Parse(HelloDatagram(), ref state, new byte[400], out _));
    }

    [Fact]
    public void Hello_larger_than_a_short_caller_buffer_is_too_large()
    {
        var state = new QuicInitialParserState(null);
        byte[] header = [0x01, 0x00, 0x01, 0x2c]; // a 300-byte ClientHello

        QuicSniffStatus status = QuicInitialParser.Parse(Datagram(V1, Dcid, Crypto(0, header), 0), ref state, new byte[QuicInitialParser.MinCryptoBufferLength], out _);

        Assert.Equal(QuicSniffStatus.TooLarge, status);
        Assert.Equal(QuicSniffLimit.CryptoBytes, state.ExceededLimit);
    }

    [Fact]
    public void Invalid_options_report_every_error_at_once()
    {
        var error = Assert.Throws<ArgumentException>(() => new QuicInitialParserOptions(maxDatagrams: 0, maxPacketsPerDatagram: 17, maxCryptoGaps: 32, maxAeadAttempts: 0));

        Assert.Contains("maxDatagrams", error.Message, StringComparison.Ordinal);
        Assert.Contains("maxPacketsPerDatagram", error.Message, StringComparison.Ordinal);
        Assert.Contains("maxCryptoGaps", error.Message, StringComparison.Ordinal);
        Assert.Contains("maxAeadAttempts", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Later_datagrams_of_one_sniff_allocate_nothing()
    {
        QuicCapture capture = QuicCapture.Get("chromium");
        byte[] buffer = new byte[QuicInitialParserOptions.Default.MaxCryptoBytes];
        var warm = new QuicInitialParserState(null);
        QuicInitialParser.Parse(capture.Datagrams[0], ref warm, buffer, out _);
        QuicInitialParser.Parse(capture.Datagrams[1], ref warm, buffer, out _);

        var state = new QuicInitialParserState(null);
        QuicInitialParser.Parse(capture.Datagrams[0], ref state, buffer, out _);
        long before = GC.GetAllocatedBytesForCurrentThread();
        QuicSniffStatus status = QuicInitialParser.Parse(capture.Datagrams[1], ref state, buffer, out ClientHelloInfo hello);
        bool hasName = hello.HasServerName;
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(QuicSniffStatus.Done, status);
        Assert.True(hasName);
        Assert.Equal(0, allocated);
    }
}
