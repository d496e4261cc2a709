using System.Buffers;

namespace MeshGateway.ClientHello.Tests.Building;

/// <summary>Everything a parse reported, as comparable values, so one-shot, byte-by-byte and split parses can be compared.</summary>
public sealed record Outcome(
    ClientHelloStatus Status,
    ClientHelloMalformedReason Reason,
    string? ServerName,
    ServerNameTraits Traits,
    string Alpn,
    int Length,
    int Records,
    ushort LegacyVersion,
    ushort MaxVersion,
    string? Ja3,
    string? Ja3Hash,
    string? Ja4,
    ClientHelloEchKind Ech,
    bool Grease,
    bool PreSharedKey,
    ClientHelloTolerances Tolerances,
    bool LegacyV2,
    string Ciphers,
    string ExtensionTypes)
{
    public static Outcome From(ClientHelloStatus status, ClientHelloMalformedReason reason, in ClientHelloInfo hello)
    {
        if (status != ClientHelloStatus.Done)
        {
            return new Outcome(status, reason, null, default, "", 0, 0, 0, 0, null, null, null, default, false, false, default, false, "", "");
        }

        var ciphers = new List<ushort>();
        foreach (ushort c in hello.CipherSuites)
        {
            ciphers.Add(c);
        }

        var types = new List<ushort>();
        foreach (TlsExtension e in hello.Extensions)
        {
            types.Add(e.Type);
        }

        return new Outcome(
            status, reason, hello.GetServerName(), hello.ServerNameTraits, string.Join(",", hello.GetApplicationProtocols()),
            hello.Length, hello.RecordCount, hello.LegacyVersion, hello.MaxVersion, hello.GetJa3(), hello.GetJa3Hash(),
            hello.GetJa4(), hello.Ech, hello.GreaseSeen, hello.HasPreSharedKey, hello.Tolerances, hello.IsLegacyV2Hello,
            string.Join(",", ciphers), string.Join(",", types));
    }
}

/// <summary>The ways a test can hand bytes to the parser.</summary>
public static class Parse
{
    public static Outcome OneShot(byte[] input, ClientHelloParserOptions? options = null)
    {
        ClientHelloStatus status = ClientHelloParser.Parse(input, options, out ClientHelloInfo hello, out _, out ClientHelloMalformedReason reason);
        try
        {
            return Outcome.From(status, reason, hello);
        }
        finally
        {
            hello.Dispose();
        }
    }

    /// <summary>Feeds growing prefixes, ending at each cut, through one resumable state (the peek model).</summary>
    public static Outcome Growing(byte[] input, IEnumerable<int> cuts, ClientHelloParserOptions? options = null)
    {
        var state = new ClientHelloParserState(options);
        foreach (int cut in cuts.Where(c => c > 0 && c < input.Length).Distinct().Order())
        {
            ClientHelloStatus partial = ClientHelloParser.Parse(input.AsSpan(0, cut), ref state, default, out ClientHelloInfo early);
            early.Dispose();
            if (partial != ClientHelloStatus.NeedMoreData)
            {
                // A final answer on a prefix must be the same as on the whole input: keep going to prove it.
                break;
            }
        }

        ClientHelloStatus status = ClientHelloParser.Parse(input, ref state, default, out ClientHelloInfo hello);
        try
        {
            return Outcome.From(status, state.MalformedReason, hello);
        }
        finally
        {
            hello.Dispose();
        }
    }

    public static Outcome ByteByByte(byte[] input, ClientHelloParserOptions? options = null) =>
        Growing(input, Enumerable.Range(1, input.Length), options);

    /// <summary>Parses the input as a multi-segment sequence cut at the given offsets.</summary>
    public static Outcome Segmented(byte[] input, IEnumerable<int> cuts, ClientHelloParserOptions? options = null)
    {
        ReadOnlySequence<byte> sequence = Segments.Create(input, cuts);
        var state = new ClientHelloParserState(options);
        byte[] scratch = new byte[65536];
        ClientHelloStatus status = ClientHelloParser.Parse(sequence, ref state, scratch, out ClientHelloInfo hello);
        try
        {
            return Outcome.From(status, state.MalformedReason, hello);
        }
        finally
        {
            hello.Dispose();
        }
    }

    /// <summary>Through the <see cref="ClientHelloSniffer"/>, peeking growing prefixes.</summary>
    public static (ClientHelloStatus Status, string? Sni, IReadOnlyList<string> Alpn, int Length) Sniffer(byte[] input, IEnumerable<int> cuts, ClientHelloParserOptions? options = null)
    {
        using var sniffer = new ClientHelloSniffer(options);
        foreach (int cut in cuts.Where(c => c > 0 && c < input.Length).Distinct().Order())
        {
            if (sniffer.Sniff(input.AsSpan(0, cut)) != ClientHelloStatus.NeedMoreData)
            {
                break;
            }
        }

        ClientHelloStatus status = sniffer.Sniff(input);
        return (status, sniffer.GetServerName(), sniffer.GetApplicationProtocols(), sniffer.HelloLength);
    }
}

/// <summary>Builds multi-segment sequences.</summary>
public static class Segments
{
    public static ReadOnlySequence<byte> Create(byte[] input, IEnumerable<int> cuts)
    {
        int[] points = cuts.Where(c => c > 0 && c < input.Length).Distinct().Order().Append(input.Length).ToArray();
        if (points.Length == 1)
        {
            return new ReadOnlySequence<byte>(input);
        }

        Segment first = new(input.AsMemory(0, points[0]));
        Segment last = first;
        for (int i = 1; i < points.Length; i++)
        {
            last = last.Append(input.AsMemory(points[i - 1], points[i] - points[i - 1]));
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory) => Memory = memory;

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory) { RunningIndex = RunningIndex + Memory.Length };
            Next = next;
            return next;
        }
    }
}
