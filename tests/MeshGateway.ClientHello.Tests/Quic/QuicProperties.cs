using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using MeshGateway.ClientHello.Tests.Building;
using MeshGateway.ClientHello.Tests.Properties;
using MeshGateway.Testing.ClientHellos;
using static MeshGateway.ClientHello.Tests.Quic.QuicPacketBuilder;

namespace MeshGateway.ClientHello.Tests.Quic;

/// <summary>A generated valid hello plus the seed of its QUIC layout.</summary>
public sealed record QuicCase(HelloModel Model, int Seed, bool V2)
{
    public byte[] Message { get; } = ClientHelloBuilder.Handshake(Model);

    public uint Version => V2 ? QuicPacketBuilder.V2 : V1;

    public override string ToString() => $"len={Message.Length} seed={Seed} v2={V2}";
}

public static class QuicGenerators
{
    public static Arbitrary<QuicCase> QuicCase() =>
        (from model in HelloGenerators.Model
         from seed in Gen.Choose(0, int.MaxValue)
         from v2 in Gen.Elements(false, true)
         select new QuicCase(model, seed, v2)).ToArbitrary();
}

public class QuicProperties
{
    private const int Cases = 300;

    [Property(MaxTest = Cases, Arbitrary = [typeof(QuicGenerators)])]
    public void Any_permutation_split_and_duplication_of_crypto_frames_gives_the_same_hello(QuicCase c)
    {
        var layout = new QuicLayout(c.Message, c.Seed, duplicates: true, reorderDatagrams: true, c.Version);
        ClientHelloStatus tls = ClientHelloParser.Parse(ClientHelloBuilder.Build(c.Model), null, out ClientHelloInfo expected, out _, out _);

        QuicOutcome outcome = QuicOutcome.Run(layout.Datagrams, QuicLayout.Roomy);

        Assert.Equal(ClientHelloStatus.Done, tls);
        Assert.Equal(QuicSniffStatus.Done, outcome.Status);
        Assert.Equal(Convert.ToHexString(c.Message.AsSpan(4)), outcome.Message);
        Assert.Equal(expected.GetServerName(), outcome.ServerName);
        Assert.Equal(string.Join(',', expected.GetApplicationProtocols()), outcome.Alpn);
        Assert.Equal("q" + expected.GetJa4()![1..], outcome.Ja4);
        Assert.Equal(c.Version, outcome.Version);
    }

    [Property(MaxTest = Cases, Arbitrary = [typeof(QuicGenerators)])]
    public void Every_truncation_needs_more_data_or_is_malformed(QuicCase c)
    {
        var layout = new QuicLayout(c.Message, c.Seed, duplicates: false, reorderDatagrams: false, c.Version);
        var options = new QuicInitialParserOptions(maxDatagrams: 64, maxCryptoGaps: 31, maxAeadAttempts: 256, requireMinimumDatagramSize: false);
        int index = c.Seed % layout.Datagrams.Length;
        byte[] cut = layout.Datagrams[index][..(1 + (c.Seed / 7 % (layout.Datagrams[index].Length - 1)))];

        QuicOutcome dropped = QuicOutcome.Run(layout.Datagrams.Take(index), options);
        QuicOutcome truncated = QuicOutcome.Run([.. layout.Datagrams.Take(index), cut], options);

        Assert.Equal(QuicSniffStatus.NeedMoreData, dropped.Status);
        Assert.Contains(truncated.Status, (QuicSniffStatus[])[QuicSniffStatus.NeedMoreData, QuicSniffStatus.Malformed]);
    }

    [Property(MaxTest = Cases, Arbitrary = [typeof(QuicGenerators)])]
    public void Flipped_bit_anywhere_in_the_protected_payload_fails_authentication(QuicCase c)
    {
        byte[] datagram = Datagram(c.Version, QuicLayout.Dcid, Crypto(0, c.Message.AsSpan(0, Math.Min(900, c.Message.Length))), c.Seed % 1000);
        int pnOffset = 1 + 4 + 1 + QuicLayout.Dcid.Length + 1 + 1 + 2; // no SCID, no token, 2-byte Length
        int bit = c.Seed % ((datagram.Length - pnOffset) * 8);
        datagram[pnOffset + (bit / 8)] ^= (byte)(1 << (bit % 8));

        QuicOutcome outcome = QuicOutcome.Run([datagram]);

        Assert.Equal(QuicSniffStatus.Malformed, outcome.Status);
        Assert.Equal(QuicMalformedReason.AuthenticationFailed, outcome.Reason);
    }

    [Fact]
    public void Rfc_packet_truncated_at_every_length_is_malformed_never_an_exception()
    {
        byte[] packet = QuicVectors.V1Packet;
        var options = new QuicInitialParserOptions(requireMinimumDatagramSize: false);
        for (int length = 1; length < packet.Length; length++)
        {
            Assert.Equal(QuicSniffStatus.Malformed, QuicOutcome.Run([packet[..length]], options).Status);
        }
    }

    [Fact]
    public void Layouts_do_coalesce_packets_sometimes()
    {
        int coalesced = Enumerable.Range(0, 50).Sum(seed => new QuicLayout(QuicVectors.HandshakeMessage, seed, duplicates: true, reorderDatagrams: false, V1).Coalesced);

        Assert.True(coalesced > 0);
    }

    [Fact]
    public void Each_datagram_is_decrypted_once_however_the_hello_is_spread()
    {
        var layout = new QuicLayout(QuicVectors.HandshakeMessage, seed: 7, duplicates: true, reorderDatagrams: true, V1);
        var state = new QuicInitialParserState(QuicLayout.Roomy);
        byte[] buffer = new byte[QuicLayout.Roomy.MaxCryptoBytes];
        int packets = 0;
        foreach (byte[] datagram in layout.Datagrams)
        {
            packets += CountPackets(datagram);
            if (QuicInitialParser.Parse(datagram, ref state, buffer, out _) == QuicSniffStatus.Done)
            {
                break;
            }
        }

        Assert.Equal(packets, state.PacketsDecrypted);
    }

    // Walks long headers by their Length field (the test's own reading of RFC 9000 §17.2).
    private static int CountPackets(byte[] datagram)
    {
        int count = 0;
        for (int position = 0; position < datagram.Length && (datagram[position] & 0x80) != 0; count++)
        {
            int p = position + 5;
            p += 1 + datagram[p];
            p += 1 + datagram[p];
            p += 1 + datagram[p]; // token length (0) as a 1-byte varint
            int length = ((datagram[p] & 0x3F) << 8) | datagram[p + 1];
            position = p + 2 + length;
        }

        return count;
    }
}
