using MeshGateway.Testing.ClientHellos;
using static MeshGateway.ClientHello.Tests.Quic.QuicPacketBuilder;

namespace MeshGateway.ClientHello.Tests.Quic;

/// <summary>
/// One way a client could send a handshake message over QUIC: cut into CRYPTO frames (pieces of at most 1000 bytes),
/// some sent again overlapping others, shuffled, mixed with PING, packed into Initial packets (1, 2 or 4-byte packet
/// numbers), one or two packets per datagram, datagrams possibly reordered. Every random choice comes from the seed.
/// </summary>
internal sealed class QuicLayout
{
    public static readonly byte[] Dcid = Convert.FromHexString("c0ffee00c0ffee0011");

    public QuicLayout(byte[] message, int seed, bool duplicates, bool reorderDatagrams, uint version)
    {
        var random = new Random(seed);
        Message = message;
        var frames = new List<byte[]>();
        int pieces = random.Next(1, 10);
        int[] cuts = [0, .. Enumerable.Range(0, pieces - 1).Select(_ => random.Next(1, message.Length)).Distinct().Order(), message.Length];
        for (int i = 0; i + 1 < cuts.Length; i++)
        {
            for (int start = cuts[i]; start < cuts[i + 1]; start += 1000)
            {
                frames.Add(Crypto(start, message.AsSpan(start, Math.Min(1000, cuts[i + 1] - start))));
            }
        }

        if (duplicates)
        {
            for (int extra = random.Next(1, 5); extra > 0; extra--)
            {
                int start = random.Next(0, message.Length);
                int length = random.Next(1, Math.Min(1000, message.Length - start) + 1);
                frames.Add(Crypto(start, message.AsSpan(start, length)));
            }

            for (int pings = random.Next(0, 3); pings > 0; pings--)
            {
                frames.Add([0x01]);
            }
        }

        frames = [.. frames.OrderBy(_ => random.Next())];

        // Frames into packet payloads of a random size cap (a frame larger than the cap gets a packet of its own).
        var payloads = new List<byte[]>();
        var current = new List<byte>();
        int cap = random.Next(100, 1001);
        foreach (byte[] frame in frames)
        {
            if (current.Count > 0 && current.Count + frame.Length > cap)
            {
                payloads.Add([.. current]);
                current.Clear();
                cap = random.Next(100, 1001);
            }

            current.AddRange(frame);
        }

        payloads.Add([.. current]);

        // Packets into datagrams: two small packets may share one; the last packet of each datagram pads it to 1200.
        var datagrams = new List<byte[]>();
        long packetNumber = random.Next(0, 3);
        for (int i = 0; i < payloads.Count; i++)
        {
            int pnLength = random.Next(3) switch { 0 => 1, 1 => 2, _ => 4 };
            if (i + 1 < payloads.Count && payloads[i].Length + payloads[i + 1].Length < 900 && random.Next(2) == 0)
            {
                byte[] first = Initial(version, Dcid, payloads[i], packetNumber++, pnLength);
                const int SecondOverhead = 1 + 4 + 1 + 9 + 1 + 1 + 2 + 4 + 16; // header with this DCID, 4-byte pn, tag
                byte[] padded = new byte[Math.Max(payloads[i + 1].Length, 1200 - first.Length - SecondOverhead)];
                payloads[i + 1].CopyTo(padded, 0);
                byte[] second = Initial(version, Dcid, padded, packetNumber++);
                Coalesced++;
                datagrams.Add([.. first, .. second]);
                i++;
            }
            else
            {
                datagrams.Add(Initial(version, Dcid, PadTo1200(payloads[i], Dcid, pnLength), packetNumber++, pnLength));
            }
        }

        Datagrams = reorderDatagrams ? [.. datagrams.OrderBy(_ => random.Next())] : [.. datagrams];
    }

    /// <summary>The handshake message (header included) that the CRYPTO stream carries.</summary>
    public byte[] Message { get; }

    public byte[][] Datagrams { get; }

    /// <summary>How many datagrams hold two packets.</summary>
    public int Coalesced { get; }

    /// <summary>Limits roomy enough for any layout this class makes.</summary>
    public static QuicInitialParserOptions Roomy { get; } = new(maxDatagrams: 64, maxCryptoGaps: 31, maxAeadAttempts: 256);

    public static byte[] MessageOf(HelloModel model) => ClientHelloBuilder.Handshake(model);
}
