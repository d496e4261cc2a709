namespace MeshGateway.ClientHello.Tests.Quic;

/// <summary>Runs datagrams through <see cref="QuicInitialParser"/> and keeps what a test compares.</summary>
internal sealed record QuicOutcome(
    QuicSniffStatus Status,
    QuicMalformedReason Reason,
    ClientHelloMalformedReason HelloReason,
    QuicSniffLimit Limit,
    string? ServerName,
    string Alpn,
    string? Ja4,
    string? Message,
    int Datagrams,
    int Ignored,
    uint Version,
    string Dcid)
{
    public static QuicOutcome Run(IEnumerable<byte[]> datagrams, QuicInitialParserOptions? options = null)
    {
        var state = new QuicInitialParserState(options);
        byte[] buffer = new byte[(options ?? QuicInitialParserOptions.Default).MaxCryptoBytes];
        QuicSniffStatus status = QuicSniffStatus.NeedMoreData;
        foreach (byte[] datagram in datagrams)
        {
            status = QuicInitialParser.Parse(datagram, ref state, buffer, out ClientHelloInfo hello);
            if (status == QuicSniffStatus.Done)
            {
                return new(status, state.MalformedReason, state.ClientHelloMalformedReason, state.ExceededLimit, hello.GetServerName(),
                    string.Join(',', hello.GetApplicationProtocols()), QuicInitialParser.GetJa4(hello), Convert.ToHexString(hello.Message),
                    state.DatagramsRead, state.IgnoredDatagrams, state.Version, Convert.ToHexStringLower(state.DestinationConnectionId));
            }

            if (status != QuicSniffStatus.NeedMoreData)
            {
                break;
            }
        }

        return new(status, state.MalformedReason, state.ClientHelloMalformedReason, state.ExceededLimit, null, "", null, null,
            state.DatagramsRead, state.IgnoredDatagrams, state.Version, Convert.ToHexStringLower(state.DestinationConnectionId));
    }
}
