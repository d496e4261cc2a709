using System.Buffers;
using System.Buffers.Binary;
using MeshGateway.ClientHello;

namespace MeshGateway.Fuzz.Targets;

/// <summary>
/// The ClientHello parser, four ways that must agree (the Traefik CVE-2026-32305 class of bug is two readers
/// disagreeing): one-shot over a span; fed one byte at a time with a resumable state; as a multi-segment sequence
/// split at input-derived points; and, when the input is a one-record hello, re-framed into several records.
/// Any exception, or any disagreement, is a finding; so is a host_name the strict profile accepts with a byte outside
/// printable ASCII, or a <c>GetServerName</c> string that is not exactly the wire bytes.
/// </summary>
internal sealed class ClientHelloTarget : IFuzzTarget
{
    private const int RecordHeaderLength = 5;      // RFC 8446 §5.1: type(1) version(2) length(2)
    private const int HandshakeHeaderLength = 4;   // RFC 8446 §4: msg_type(1) length(3)
    private static readonly ClientHelloParserOptions[] Profiles =
    [
        ClientHelloParserOptions.Default,
        ClientHelloParserOptions.Lenient,
        new(acceptTrailingDot: false),
        new(ClientHelloProfile.Lenient, acceptTrailingDot: false),
    ];

    /// <summary>
    /// The byte-at-a-time parse's reassembly buffer, one per thread: the targets are shared instances, and the test
    /// suite runs them from several test classes at once (a shared buffer was overwritten under a parse in progress,
    /// which surfaced as an ALPN list the enumerator could not walk).
    /// </summary>
    [ThreadStatic]
    private static byte[]? t_reassembly;

    public string Name => "clienthello";

    public void Run(ReadOnlySpan<byte> input)
    {
        foreach (ClientHelloParserOptions options in Profiles)
        {
            ClientHelloOutcome oneShot = OneShot(input, options);
            Expect(ByteAtATime(input, options), oneShot, "byte-at-a-time", input);
            Expect(Segmented(input, options), oneShot, "multi-segment", input);
            if (oneShot.Status == ClientHelloStatus.Done)
            {
                Reframed(input, options, oneShot);
            }
        }
    }

    private static void Expect(ClientHelloOutcome actual, ClientHelloOutcome expected, string path, ReadOnlySpan<byte> input)
    {
        if (actual != expected)
        {
            throw new FuzzTargetException($"{path} disagrees with one-shot on {input.Length} bytes: {actual} vs {expected}");
        }
    }

    private static ClientHelloOutcome OneShot(ReadOnlySpan<byte> input, ClientHelloParserOptions options)
    {
        ClientHelloStatus status = ClientHelloParser.Parse(input, options, out ClientHelloInfo hello, out int needed, out var reason);
        using (hello)
        {
            if (status == ClientHelloStatus.NeedMoreData && needed < 1)
            {
                throw new FuzzTargetException($"NeedMoreData with BytesNeeded {needed}");
            }

            if (status == ClientHelloStatus.Done)
            {
                CheckServerName(hello, options);
            }

            return ClientHelloOutcome.From(status, reason, hello);
        }
    }

    // RFC 6066 §3 host_name rules as the parser promises them (docs/clienthello.md "Host names").
    private static void CheckServerName(in ClientHelloInfo hello, ClientHelloParserOptions options)
    {
        ReadOnlySpan<byte> name = hello.ServerName;
        if (options.Profile == ClientHelloProfile.Strict && name.IndexOfAnyExceptInRange((byte)0x21, (byte)0x7E) >= 0)
        {
            throw new FuzzTargetException($"strict profile accepted host_name {Convert.ToHexString(name)} with a byte outside 0x21-0x7E");
        }

        if (!options.AcceptTrailingDot && options.Profile == ClientHelloProfile.Strict && !name.IsEmpty && name[^1] == (byte)'.')
        {
            throw new FuzzTargetException($"strict profile refusing trailing dots accepted host_name {Convert.ToHexString(name)}");
        }

        string? text = hello.GetServerName();
        bool exact = text is null
            ? !hello.HasServerName || !System.Text.Ascii.IsValid(name)
            : text.Length == name.Length && System.Text.Ascii.Equals(name, text);
        if (!exact)
        {
            throw new FuzzTargetException($"GetServerName gave \"{text}\" for host_name {Convert.ToHexString(name)}");
        }
    }

    private static ClientHelloOutcome ByteAtATime(ReadOnlySpan<byte> input, ClientHelloParserOptions options)
    {
        var state = new ClientHelloParserState(options);
        ClientHelloStatus status = ClientHelloStatus.NeedMoreData;
        for (int length = 1; length <= input.Length; length++)
        {
            status = ClientHelloParser.Parse(input[..length], ref state, t_reassembly ??= new byte[ClientHelloParserOptions.HardMaxHandshakeLength], out ClientHelloInfo hello);
            using (hello)
            {
                if (status != ClientHelloStatus.NeedMoreData)
                {
                    return ClientHelloOutcome.From(status, state.MalformedReason, hello);
                }
            }
        }

        return new(status, state.MalformedReason, null, default, default, string.Empty, 0, null);
    }

    private static ClientHelloOutcome Segmented(ReadOnlySpan<byte> input, ClientHelloParserOptions options)
    {
        if (input.IsEmpty)
        {
            return OneShot(input, options);
        }

        // Split points come from the input itself, so AFL explores them too.
        int chunk = 1 + (input[^1] % 7);
        ReadOnlySequence<byte> sequence = SequenceOf(input.ToArray(), chunk);
        var state = new ClientHelloParserState(options);
        ClientHelloStatus status = ClientHelloParser.Parse(sequence, ref state, default, out ClientHelloInfo hello);
        using (hello)
        {
            return ClientHelloOutcome.From(status, state.MalformedReason, hello);
        }
    }

    /// <summary>Cuts the one-record hello's handshake message into records of input-derived size; the result must not change.</summary>
    private static void Reframed(ReadOnlySpan<byte> input, ClientHelloParserOptions options, ClientHelloOutcome expected)
    {
        if (input.Length < RecordHeaderLength + HandshakeHeaderLength || input[0] != 22)
        {
            return; // an SSLv2-compatible hello has no records to re-frame
        }

        int recordLength = BinaryPrimitives.ReadUInt16BigEndian(input[3..]);
        int messageLength = HandshakeHeaderLength + ((input[6] << 16) | (input[7] << 8) | input[8]);
        if (messageLength != recordLength || expected.Length != RecordHeaderLength + recordLength)
        {
            return; // only the plain one-record shape, with nothing tolerated after the message
        }

        ReadOnlySpan<byte> message = input.Slice(RecordHeaderLength, messageLength);
        int fragment = 1 + (input[^1] % 64);
        var framed = new ArrayBufferWriter<byte>();
        for (int offset = 0; offset < message.Length; offset += fragment)
        {
            ReadOnlySpan<byte> piece = message.Slice(offset, Math.Min(fragment, message.Length - offset));
            Span<byte> header = framed.GetSpan(RecordHeaderLength);
            input[..3].CopyTo(header);
            BinaryPrimitives.WriteUInt16BigEndian(header[3..], (ushort)piece.Length);
            framed.Advance(RecordHeaderLength);
            framed.Write(piece);
        }

        ClientHelloOutcome reframed = OneShot(framed.WrittenSpan, options);
        Expect(reframed with { Length = expected.Length }, expected, $"re-framed into {fragment}-byte records", input);
    }

    private static ReadOnlySequence<byte> SequenceOf(byte[] data, int chunk)
    {
        var first = new Segment(data.AsMemory(0, Math.Min(chunk, data.Length)), 0);
        Segment last = first;
        for (int offset = chunk; offset < data.Length; offset += chunk)
        {
            last = last.Append(data.AsMemory(offset, Math.Min(chunk, data.Length - offset)));
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
