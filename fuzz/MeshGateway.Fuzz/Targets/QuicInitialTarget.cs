using System.Buffers.Binary;
using System.Security.Cryptography;
using MeshGateway.ClientHello;

namespace MeshGateway.Fuzz.Targets;

/// <summary>
/// The QUIC Initial front end. The input's first byte picks a mode. Even: the rest is datagrams in the
/// <c>meshgw sniff --quic</c> format (16-bit big-endian length + datagram), fed as they are (the captures seed this).
/// Odd: the rest is plaintext Initial payloads in the same format, which this target encrypts into valid Initial
/// packets (bit 1 picks QUIC v2) so that AFL reaches the frame walk and CRYPTO reassembly past the AEAD.
/// Invariants: no exception; the parser and <see cref="QuicInitialSniffer"/> agree; counters stay within the limits;
/// a Done hello, re-framed into TLS records, parses with <see cref="ClientHelloParser"/> to the same SNI, ALPN and JA4
/// (but for the <c>q</c>); Done repeats on a further call.
/// </summary>
internal sealed class QuicInitialTarget : IFuzzTarget
{
    private static readonly byte[] Dcid = [0x83, 0x94, 0xc8, 0xf0, 0x3e, 0x51, 0x57, 0x08];
    // Sized from constants only: the targets are constructed before SharpFuzz sets up its shared memory, and a call
    // into the instrumented library at that point crashes the fork server (for every target).
    /// <summary>The parse's crypto buffer, one per thread: the target is a shared instance that tests run from several classes at once.</summary>
    [ThreadStatic]
    private static byte[]? t_buffer;

    private static byte[] Buffer => t_buffer ??= new byte[ClientHelloParserOptions.HardMaxHandshakeLength + 4];

    public string Name => "quic";

    public void Run(ReadOnlySpan<byte> input)
    {
        if (input.IsEmpty)
        {
            return;
        }

        List<byte[]> datagrams = Datagrams(input);
        foreach (QuicInitialParserOptions options in (ReadOnlySpan<QuicInitialParserOptions>)[QuicInitialParserOptions.Default, QuicInitialParserOptions.Lenient])
        {
            Check(datagrams, options);
        }
    }

    /// <summary>The status the default options end with on this input (for tests that the seeds reach deep).</summary>
    internal static QuicSniffStatus FinalStatus(ReadOnlySpan<byte> input)
    {
        var state = new QuicInitialParserState(null);
        QuicSniffStatus status = QuicSniffStatus.NeedMoreData;
        foreach (byte[] datagram in Datagrams(input))
        {
            status = QuicInitialParser.Parse(datagram, ref state, Buffer, out _);
            if (status != QuicSniffStatus.NeedMoreData)
            {
                break;
            }
        }

        return status;
    }

    private static List<byte[]> Datagrams(ReadOnlySpan<byte> input)
    {
        List<byte[]> datagrams = Split(input[1..]);
        return (input[0] & 1) == 1 ? Protect(datagrams, (input[0] & 2) != 0 ? 0x6b3343cfu : 1u) : datagrams;
    }

    private static void Check(List<byte[]> datagrams, QuicInitialParserOptions options)
    {
        var state = new QuicInitialParserState(options);
        using var sniffer = new QuicInitialSniffer(options);
        QuicSniffStatus status = QuicSniffStatus.NeedMoreData;
        int fed = 0;
        foreach (byte[] datagram in datagrams)
        {
            fed++;
            status = QuicInitialParser.Parse(datagram, ref state, Buffer, out ClientHelloInfo hello);
            QuicSniffStatus wrapped = sniffer.Sniff(datagram);
            if (wrapped != status)
            {
                throw new FuzzTargetException($"sniffer says {wrapped}, parser says {status} after {fed} datagram(s)");
            }

            if (state.DatagramsRead != fed || state.IgnoredDatagrams > fed || state.PacketsDecrypted > options.MaxAeadAttempts)
            {
                throw new FuzzTargetException($"counters out of range: read {state.DatagramsRead} of {fed}, ignored {state.IgnoredDatagrams}, decrypted {state.PacketsDecrypted}");
            }

            if (status == QuicSniffStatus.Done)
            {
                CompareWithTls(hello, options);
                if (QuicInitialParser.Parse(datagram, ref state, Buffer, out _) != QuicSniffStatus.Done)
                {
                    throw new FuzzTargetException("Done did not repeat");
                }
            }

            if (status != QuicSniffStatus.NeedMoreData)
            {
                break;
            }
        }

        if (status == QuicSniffStatus.Malformed && state.MalformedReason == QuicMalformedReason.None)
        {
            throw new FuzzTargetException("Malformed without a reason");
        }

        if (status == QuicSniffStatus.TooLarge && state.ExceededLimit == QuicSniffLimit.None)
        {
            throw new FuzzTargetException("TooLarge without a limit");
        }
    }

    // The reassembled handshake message, in TLS records of at most 2^14 bytes, through the TCP front end.
    private static void CompareWithTls(in ClientHelloInfo hello, QuicInitialParserOptions options)
    {
        byte[] message = [0x01, (byte)(hello.Message.Length >> 16), (byte)(hello.Message.Length >> 8), (byte)hello.Message.Length, .. hello.Message];
        var records = new List<byte>();
        for (int offset = 0; offset < message.Length; offset += 16384)
        {
            int length = Math.Min(16384, message.Length - offset);
            records.AddRange([0x16, 0x03, 0x01, (byte)(length >> 8), (byte)length]);
            records.AddRange(message.AsSpan(offset, length));
        }

        ClientHelloStatus status = ClientHelloParser.Parse(records.ToArray(), options.ClientHello, out ClientHelloInfo tls, out _, out _);
        using (tls)
        {
            string? quicJa4 = QuicInitialParser.GetJa4(hello);
            string? tlsJa4 = status == ClientHelloStatus.Done ? tls.GetJa4() : null;
            if (status != ClientHelloStatus.Done
                || tls.GetServerName() != hello.GetServerName()
                || string.Join(',', tls.GetApplicationProtocols()) != string.Join(',', hello.GetApplicationProtocols())
                || quicJa4 is null || tlsJa4 is null || quicJa4[0] != 'q' || quicJa4[1..] != tlsJa4[1..])
            {
                throw new FuzzTargetException($"QUIC and TLS front ends disagree: TLS {status} {tlsJa4}, QUIC {quicJa4}");
            }
        }
    }

    private static List<byte[]> Split(ReadOnlySpan<byte> input)
    {
        var datagrams = new List<byte[]>();
        while (input.Length >= 2)
        {
            int length = Math.Min(BinaryPrimitives.ReadUInt16BigEndian(input), input.Length - 2);
            datagrams.Add(input.Slice(2, length).ToArray());
            input = input[(2 + length)..];
        }

        return datagrams;
    }

    // Each payload becomes one Initial packet (RFC 9001 §5: AEAD, then header protection), padded to 1200 bytes.
    private static List<byte[]> Protect(List<byte[]> payloads, uint version)
    {
        byte[] keys = new byte[QuicInitialKeys.Length];
        QuicInitialKeys.Derive(version, Dcid, keys);
        byte[] key = keys[..16], iv = keys[16..28], hp = keys[28..];
        using var gcm = new AesGcm(key, 16);
        using var aes = Aes.Create();
        aes.Key = hp;
        var packets = new List<byte[]>();
        for (int number = 0; number < payloads.Count; number++)
        {
            byte[] payload = payloads[number];
            if (payload.Length < 1200 - 40)
            {
                payload = [.. payload, .. new byte[1200 - 40 - payload.Length]];
            }

            int length = 4 + payload.Length + 16;
            byte[] header = [(byte)(version == 1 ? 0xC3 : 0xD3), .. BigEndian(version), (byte)Dcid.Length, .. Dcid, 0, 0,
                (byte)(0x80 | (length >> 24)), (byte)(length >> 16), (byte)(length >> 8), (byte)length, .. BigEndian((uint)number)];
            byte[] nonce = (byte[])iv.Clone();
            for (int i = 0; i < 4; i++)
            {
                nonce[11 - i] ^= (byte)(number >> (8 * i));
            }

            byte[] packet = new byte[header.Length + payload.Length + 16];
            header.CopyTo(packet, 0);
            gcm.Encrypt(nonce, payload, packet.AsSpan(header.Length, payload.Length), packet.AsSpan(header.Length + payload.Length), header);
            int pnOffset = header.Length - 4;
            byte[] mask = aes.EncryptEcb(packet.AsSpan(pnOffset + 4, 16), PaddingMode.None);
            packet[0] ^= (byte)(mask[0] & 0x0F);
            for (int i = 0; i < 4; i++)
            {
                packet[pnOffset + i] ^= mask[1 + i];
            }

            packets.Add(packet);
        }

        return packets;
    }

    private static byte[] BigEndian(uint value) => [(byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value];
}
