using System.Globalization;
using System.Text.Json.Nodes;
using MeshGateway.ClientHello;

namespace MeshGateway.Cli.Commands.Sniff;

/// <summary>
/// <c>meshgw sniff --quic FILE|-</c>: the input is a sequence of datagrams, each prefixed by its length as a 16-bit
/// big-endian integer. They are fed to <see cref="QuicInitialParser"/> one by one until the ClientHello is parsed or
/// the outcome is final. The JSON has the TLS sniff's keys (<see cref="SniffReport"/>) without <c>records</c>, with
/// <c>length</c> the ClientHello message length, then <c>quic_version</c>, <c>dcid</c> and <c>datagrams</c>.
/// </summary>
internal static class QuicSniff
{
    /// <summary>Runs the QUIC sniff; the exit code is 0 for ok, 1 for any other status, 2 for input that is not length-prefixed datagrams.</summary>
    public static int Run(string path, bool hex, bool lenient, TextWriter output, TextWriter error)
    {
        byte[]? input = SniffInput.Read(path, hex, out string? problem);
        List<ReadOnlyMemory<byte>>? datagrams = input is null ? null : QuicDatagramFile.Split(input, out problem);
        if (datagrams is null)
        {
            error.WriteLine($"meshgw sniff: {problem}");
            return MeshGatewayCli.UsageError;
        }

        var state = new QuicInitialParserState(lenient ? QuicInitialParserOptions.Lenient : QuicInitialParserOptions.Default);
        byte[] buffer = new byte[state.Options.MaxCryptoBytes];
        QuicSniffStatus status = QuicSniffStatus.NeedMoreData;
        ClientHelloInfo hello = default;
        foreach (ReadOnlyMemory<byte> datagram in datagrams)
        {
            status = QuicInitialParser.Parse(datagram.Span, ref state, buffer, out hello);
            if (status != QuicSniffStatus.NeedMoreData)
            {
                break;
            }
        }

        output.WriteLine(ToJson(status, state, hello));
        return status == QuicSniffStatus.Done ? 0 : 1;
    }

    /// <summary>Renders the outcome: the TLS report's keys in their order (so both stay alike), then the QUIC ones.</summary>
    public static string ToJson(QuicSniffStatus status, in QuicInitialParserState state, in ClientHelloInfo hello)
    {
        bool done = status == QuicSniffStatus.Done;
        string tls = SniffReport.ToJson(done ? ClientHelloStatus.Done : ClientHelloStatus.NeedMoreData, default, hello);
        JsonObject json = JsonNode.Parse(tls)!.AsObject();
        json["status"] = StatusName(status);
        json["reason"] = status == QuicSniffStatus.Malformed ? ReasonName(state) : null;
        json["ja4"] = done ? QuicInitialParser.GetJa4(hello) : null;
        json.Remove("records");
        json["quic_version"] = state.Version != 0 || status == QuicSniffStatus.UnsupportedVersion
            ? "0x" + state.Version.ToString("x8", CultureInfo.InvariantCulture)
            : null;
        json["dcid"] = state.DestinationConnectionId.IsEmpty ? null : Convert.ToHexStringLower(state.DestinationConnectionId);
        json["datagrams"] = state.DatagramsRead;
        return json.ToJsonString(); // the default encoder, as the TLS report's Utf8JsonWriter uses
    }

    /// <summary>The status words of the contract.</summary>
    public static string StatusName(QuicSniffStatus status) => status switch
    {
        QuicSniffStatus.Done => "ok",
        QuicSniffStatus.NeedMoreData => "need-more-data",
        QuicSniffStatus.NotQuic => "not-quic",
        QuicSniffStatus.UnsupportedVersion => "unsupported-version",
        QuicSniffStatus.Malformed => "malformed",
        QuicSniffStatus.TooLarge => "too-large",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    // A QUIC reason, or the ClientHello's own when the reassembled hello was the problem.
    private static string ReasonName(in QuicInitialParserState state) =>
        SniffReport.KebabCase(state.MalformedReason == QuicMalformedReason.ClientHello
            ? state.ClientHelloMalformedReason.ToString()
            : state.MalformedReason.ToString());
}
