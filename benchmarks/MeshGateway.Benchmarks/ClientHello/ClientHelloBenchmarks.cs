using BenchmarkDotNet.Attributes;
using MeshGateway.ClientHello;
using MeshGateway.Testing;
using Yarp.ReverseProxy.Utilities.Tls;

namespace MeshGateway.Benchmarks;

/// <summary>
/// Parsing real captured ClientHellos (tests/TestData/client-hellos): curl (517 B, one record), Chromium (2040 B with
/// X25519MLKEM768 and GREASE ECH, one record) and OpenSSL with <c>-split_send_frag</c> (two records), against YARP's public
/// <see cref="TlsFrameHelper"/> as the baseline. YARP reads only the first record, so on the two-record hello it finds no SNI.
/// </summary>
[MemoryDiagnoser]
public class ClientHelloBenchmarks
{
    private byte[] _hello = [];
    private byte[] _scratch = [];

    /// <summary>The capture to parse.</summary>
    [Params("curl", "chromium", "openssl-split-send-frag")]
    public string Capture { get; set; } = "curl";

    [GlobalSetup]
    public void Setup()
    {
        _hello = CaptureFiles.ClientHello(Capture + ".bin");
        _scratch = new byte[ClientHelloParserOptions.DefaultMaxHandshakeLength];
        if (YarpServerName() is null && Capture != "openssl-split-send-frag")
        {
            throw new InvalidOperationException("YARP found no SNI in " + Capture);
        }

        if (SniOnly() == 0 || Full() == 0 || Ja4() == 0)
        {
            throw new InvalidOperationException("MeshGateway did not parse " + Capture);
        }
    }

    /// <summary>YARP: <c>TlsFrameHelper.GetServerName</c> (allocates the string; IDN-decodes it).</summary>
    [Benchmark(Baseline = true)]
    public string? YarpServerName() => TlsFrameHelper.GetServerName(_hello);

    /// <summary>YARP: <c>TryGetFrameInfo</c> with every processing option (SNI, ALPN, versions, cipher suites).</summary>
    [Benchmark]
    public bool YarpFrameInfo()
    {
        var info = default(TlsFrameHelper.TlsFrameInfo);
        return TlsFrameHelper.TryGetFrameInfo(_hello, ref info);
    }

    /// <summary>MeshGateway: parse and read the SNI as a span (no string).</summary>
    [Benchmark]
    public int SniOnly()
    {
        var state = new ClientHelloParserState(null);
        ClientHelloParser.Parse(_hello, ref state, _scratch, out ClientHelloInfo hello);
        return hello.ServerName.Length;
    }

    /// <summary>MeshGateway: parse and walk every field (SNI, ALPN, ciphers, extensions, versions, groups, sigalgs, key shares).</summary>
    [Benchmark]
    public int Full()
    {
        var state = new ClientHelloParserState(null);
        ClientHelloParser.Parse(_hello, ref state, _scratch, out ClientHelloInfo hello);
        int sum = hello.ServerName.Length + hello.MaxVersion;
        foreach (ReadOnlySpan<byte> protocol in hello.ApplicationProtocols)
        {
            sum += protocol.Length;
        }

        foreach (ushort cipher in hello.CipherSuites)
        {
            sum += cipher;
        }

        foreach (TlsExtension extension in hello.Extensions)
        {
            sum += extension.Type;
        }

        foreach (ushort group in hello.SupportedGroups)
        {
            sum += group;
        }

        foreach (ushort scheme in hello.SignatureAlgorithms)
        {
            sum += scheme;
        }

        foreach (ushort group in hello.KeyShareGroups)
        {
            sum += group;
        }

        return sum;
    }

    /// <summary>
    /// MeshGateway: parse and format JA4 into a stack buffer. The same hello every call, so both SHA-256 inputs are in
    /// the thread's digest memo: the cost for a client whose software was seen recently (the common case).
    /// </summary>
    [Benchmark]
    public int Ja4()
    {
        var state = new ClientHelloParserState(null);
        ClientHelloParser.Parse(_hello, ref state, _scratch, out ClientHelloInfo hello);
        Span<char> ja4 = stackalloc char[36];
        hello.TryFormatJa4(ja4, out int written);
        return written;
    }

    /// <summary>MeshGateway: JA4 with the digest memo emptied before each call, so both SHA-256 digests are computed (a client never seen).</summary>
    [Benchmark]
    public int Ja4NewClient()
    {
        Ja4Fingerprint.Sha256Memo.Clear();
        var state = new ClientHelloParserState(null);
        ClientHelloParser.Parse(_hello, ref state, _scratch, out ClientHelloInfo hello);
        Span<char> ja4 = stackalloc char[36];
        hello.TryFormatJa4(ja4, out int written);
        return written;
    }

    /// <summary>
    /// The floor, not a parser: hop from length to length (session id, cipher suites, compression, every extension
    /// header) with no checks and no output. Each hop needs the previous length, so this chain of dependent loads is
    /// what any parser reaching the extensions pays; it bounds how close to it a validating parse can get.
    /// </summary>
    [Benchmark]
    public int BareWalk()
    {
        ReadOnlySpan<byte> records = _hello;
        int recordLength = (records[3] << 8) | records[4];
        ReadOnlySpan<byte> message = records.Slice(9, Math.Min(recordLength, records.Length - 5) - 4);
        int position = 2 + 32;
        position += 1 + message[position];
        position += 2 + ((message[position] << 8) | message[position + 1]);
        position += 1 + message[position];
        int end = Math.Min(position + 2 + ((message[position] << 8) | message[position + 1]), message.Length);
        position += 2;
        int count = 0;
        while (position + 4 <= end)
        {
            position += 4 + ((message[position + 2] << 8) | message[position + 3]);
            count++;
        }

        return count;
    }

    /// <summary>MeshGateway: the peek model, the hello arriving in 1460-byte TCP segments, one resumable state.</summary>
    [Benchmark]
    public int SniInTcpSegments()
    {
        var state = new ClientHelloParserState(null);
        ClientHelloStatus status = ClientHelloStatus.NeedMoreData;
        ClientHelloInfo hello = default;
        for (int length = Math.Min(1460, _hello.Length); status == ClientHelloStatus.NeedMoreData; length = Math.Min(length + 1460, _hello.Length))
        {
            status = ClientHelloParser.Parse(_hello.AsSpan(0, length), ref state, _scratch, out hello);
        }

        return hello.ServerName.Length;
    }
}
