using MeshGateway.ClientHello;

namespace MeshGateway.Forwarding;

/// <summary>
/// The one sniff step's limits and result, shared by the engine and by hosts that peek before handing a
/// connection over (Kestrel mixed mode). Two caps, in two units: <see cref="ForwarderOptions.MaxClientHelloBytes"/>
/// counts wire bytes held (record headers included; what a client can make the forwarder buffer), while the
/// parser's <see cref="ClientHelloParserOptions.MaxHandshakeLength"/> counts the handshake message body.
/// </summary>
internal static class ClientHelloSniff
{
    /// <summary>A TLS record header (RFC 8446 §5.1) plus a handshake message header (RFC 8446 §4): 5 + 4 bytes.</summary>
    private const int MinimumOverhead = 9;

    /// <summary>
    /// The parser options for a wire cap of <paramref name="maxWireBytes"/>: a handshake longer than the wire cap
    /// less one record header and one handshake header can never fit, so the parser rejects it as
    /// <see cref="ClientHelloStatus.TooLarge"/> from its declared length, before the bytes arrive. Clamped to the
    /// parser's 256 B – 64 KiB range (a 16 KiB wire cap allows a 16,375-byte handshake).
    /// </summary>
    public static ClientHelloParserOptions ParserOptionsFor(int maxWireBytes) =>
        new(maxHandshakeLength: Math.Clamp(
            maxWireBytes - MinimumOverhead,
            ClientHelloParserOptions.MinMaxHandshakeLength,
            ClientHelloParserOptions.HardMaxHandshakeLength));

    /// <summary>
    /// One sniff step over every byte held so far (<paramref name="buffered"/>, the same prefix as the last step,
    /// possibly longer), resuming from <paramref name="state"/>: the parser's status and, when
    /// <see cref="ClientHelloStatus.Done"/>, what the hello says. Holds no buffer between steps: a hello in one record is
    /// parsed in place, and one fragmented over several records is reassembled into a pooled buffer only once all of
    /// it has arrived, returned before this returns (RFC 8446 §5.1 lets a handshake message span records).
    /// </summary>
    public static ClientHelloStatus Step(ReadOnlySpan<byte> buffered, ref ClientHelloParserState state, out SniffedClientHello? sniffed)
    {
        ClientHelloStatus status = ClientHelloParser.Parse(buffered, ref state, default, out ClientHelloInfo hello);
        using (hello)
        {
            sniffed = status == ClientHelloStatus.Done ? Describe(hello) : null;
        }

        return status;
    }

    /// <summary>What a sniffer that returned <see cref="ClientHelloStatus.Done"/> read from the hello.</summary>
    public static SniffedClientHello Describe(ClientHelloSniffer sniffer) =>
        new(sniffer.GetServerName(), sniffer.GetApplicationProtocols(), sniffer.HelloLength)
        {
            OffersEncryptedClientHello = sniffer.Hello.Ech == ClientHelloEchKind.Outer,
        };

    /// <summary>What a parsed hello says: server name, ALPN, wire length, whether it offers ECH (a shared instance when this thread saw the same answer last).</summary>
    private static SniffedClientHello Describe(in ClientHelloInfo hello) =>
        SniffedHelloCache.Get(
            hello.HasServerName ? ServerNameCache.Get(hello.ServerName) : null,
            ProtocolListCache.Get(hello),
            hello.Length,
            hello.Ech == ClientHelloEchKind.Outer);

    /// <summary>Why a connection whose sniff ended in <paramref name="status"/> and found no route is closed.</summary>
    public static CloseCause NoRouteCause(ClientHelloStatus? status) => status switch
    {
        ClientHelloStatus.NotTls => CloseCause.NotTls,
        ClientHelloStatus.NotClientHello or ClientHelloStatus.Malformed => CloseCause.MalformedClientHello,
        _ => CloseCause.NoRoute,
    };
}
