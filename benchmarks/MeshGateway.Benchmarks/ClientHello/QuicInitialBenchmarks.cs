using System.Buffers.Binary;
using BenchmarkDotNet.Attributes;
using MeshGateway.ClientHello;
using MeshGateway.Testing;

namespace MeshGateway.Benchmarks;

/// <summary>
/// Sniffing the ClientHello out of Chromium's and Firefox ESR's first two QUIC datagrams (tests/TestData/quic: each
/// hello, with its X25519MLKEM768 key share, spans two Initial packets), whole and split by stage: Initial key
/// derivation (HKDF), header protection (AES-ECB, both packets), AEAD (AES-128-GCM open, both packets), CRYPTO frame walk
/// and reassembly, and the ClientHello body parse.
/// </summary>
[MemoryDiagnoser]
public class QuicInitialBenchmarks
{
    private byte[][] _datagrams = [];
    private byte[] _dcid = [];
    private readonly byte[] _keys = new byte[QuicInitialKeys.Length];
    private byte[] _buffer = [];
    private readonly byte[] _mask = new byte[16];
    private Packet[] _packets = [];
    private int _messageLength;

    /// <summary>The capture.</summary>
    [Params("chromium", "firefox")]
    public string Capture { get; set; } = "chromium";

    [GlobalSetup]
    public void Setup()
    {
        byte[] file = File.ReadAllBytes(CaptureFiles.QuicPath(Capture + ".dgrams"));
        var datagrams = new List<byte[]>();
        for (int i = 0; i < file.Length && datagrams.Count < 2; i += 2 + BinaryPrimitives.ReadUInt16BigEndian(file.AsSpan(i)))
        {
            datagrams.Add(file.AsSpan(i + 2, BinaryPrimitives.ReadUInt16BigEndian(file.AsSpan(i))).ToArray());
        }

        _datagrams = [.. datagrams];
        _buffer = new byte[QuicInitialParserOptions.Default.MaxCryptoBytes];
        _dcid = _datagrams[0].AsSpan(6, _datagrams[0][5]).ToArray();
        QuicInitialKeys.Derive(1, _dcid, _keys);
        _packets = [.. _datagrams.Select(d => Unprotect(d, _keys))];
        if (Total() != QuicSniffStatus.Done || Reassembly() != QuicSniffStatus.Done)
        {
            throw new InvalidOperationException("no hello in " + Capture);
        }

        _messageLength = (_buffer[1] << 16) | (_buffer[2] << 8) | _buffer[3];
    }

    /// <summary>Everything: a fresh state, both datagrams; the AES objects are already keyed for this DCID (a later datagram of a known connection).</summary>
    [Benchmark(Baseline = true)]
    public QuicSniffStatus Total()
    {
        var state = new QuicInitialParserState(null);
        QuicInitialParser.Parse(_datagrams[0], ref state, _buffer, out _);
        return QuicInitialParser.Parse(_datagrams[1], ref state, _buffer, out _);
    }

    /// <summary>Everything, with the AES objects re-keyed first, as for a new Destination Connection ID.</summary>
    [Benchmark]
    public QuicSniffStatus TotalNewConnection()
    {
        QuicPacketProtection.Current.ForgetKeys();
        return Total();
    }

    /// <summary>Stage: HKDF-Extract and four HKDF-Expand-Label calls (RFC 9001 §5.2).</summary>
    [Benchmark]
    public byte KeyDerivation()
    {
        QuicInitialKeys.Derive(1, _dcid, _keys);
        return _keys[0];
    }

    /// <summary>Stage: the AES-ECB header protection mask of both packets (RFC 9001 §5.4).</summary>
    [Benchmark]
    public byte HeaderProtection()
    {
        byte result = 0;
        foreach (Packet packet in _packets)
        {
            QuicPacketProtection.Current.HeaderProtectionMask(_keys.AsSpan(28, 16), packet.Sample, _mask);
            result ^= _mask[0];
        }

        return result;
    }

    /// <summary>Stage: AES-128-GCM open of both packets (RFC 9001 §5.3).</summary>
    [Benchmark]
    public bool Aead()
    {
        bool ok = true;
        foreach (Packet packet in _packets)
        {
            ok &= QuicPacketProtection.Current.TryDecrypt(_keys.AsSpan(0, 16), packet.Nonce, packet.Ciphertext, packet.Tag, packet.Plaintext, packet.Header);
        }

        return ok;
    }

    /// <summary>Stage: the frame walk of both decrypted payloads and the CRYPTO reassembly, up to a complete hello.</summary>
    [Benchmark]
    public QuicSniffStatus Reassembly()
    {
        var state = new QuicInitialParserState(null);
        QuicSniffStatus status = QuicSniffStatus.NeedMoreData;
        foreach (Packet packet in _packets)
        {
            status = QuicInitialParser.ReadFrames(packet.Plaintext, ref state, _buffer);
        }

        return status;
    }

    /// <summary>Stage: the ClientHello body parse of the reassembled message.</summary>
    [Benchmark]
    public int Parse()
    {
        ClientHelloParser.ParseHandshakeMessage(_buffer.AsSpan(4, _messageLength), ClientHelloParserOptions.Default, 4 + _messageLength, out ClientHelloInfo hello, out _);
        return hello.ServerName.Length;
    }

    // The benchmark's own unprotect (RFC 9001 §5.4), done once in setup so the AEAD row has its inputs.
    private static Packet Unprotect(byte[] datagram, byte[] keys)
    {
        int p = 5;
        p += 1 + datagram[p];
        p += 1 + datagram[p];
        p += 1 << (datagram[p] >> 6); // token length (empty)
        int lengthBytes = 1 << (datagram[p] >> 6);
        long length = datagram[p] & 0x3F;
        for (int i = 1; i < lengthBytes; i++)
        {
            length = (length << 8) | datagram[p + i];
        }

        int pnOffset = p + lengthBytes;
        byte[] sample = datagram.AsSpan(pnOffset + 4, 16).ToArray();
        byte[] mask = new byte[16];
        QuicPacketProtection.Current.HeaderProtectionMask(keys.AsSpan(28, 16), sample, mask);
        byte[] header = datagram.AsSpan(0, pnOffset + 4).ToArray();
        header[0] ^= (byte)(mask[0] & 0x0F);
        int pnLength = (header[0] & 3) + 1;
        header = header[..(pnOffset + pnLength)];
        long pn = 0;
        for (int i = 0; i < pnLength; i++)
        {
            header[pnOffset + i] ^= mask[1 + i];
            pn = (pn << 8) | header[pnOffset + i];
        }

        byte[] nonce = keys.AsSpan(16, 12).ToArray();
        for (int i = 0; i < 8; i++)
        {
            nonce[11 - i] ^= (byte)(pn >> (8 * i));
        }

        int end = pnOffset + (int)length;
        byte[] ciphertext = datagram.AsSpan(pnOffset + pnLength, end - 16 - pnOffset - pnLength).ToArray();
        var packet = new Packet(sample, header, nonce, ciphertext, datagram.AsSpan(end - 16, 16).ToArray(), new byte[ciphertext.Length]);
        if (!QuicPacketProtection.Current.TryDecrypt(keys.AsSpan(0, 16), nonce, ciphertext, packet.Tag, packet.Plaintext, header))
        {
            throw new InvalidOperationException("setup could not decrypt");
        }

        return packet;
    }

    private sealed record Packet(byte[] Sample, byte[] Header, byte[] Nonce, byte[] Ciphertext, byte[] Tag, byte[] Plaintext);
}
