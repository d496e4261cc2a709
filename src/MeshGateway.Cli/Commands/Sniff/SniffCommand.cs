using System.CommandLine;
using MeshGateway.ClientHello;

namespace MeshGateway.Cli.Commands.Sniff;

/// <summary>
/// <c>meshgw sniff FILE|-</c>: parses the first bytes a client sent and prints one JSON object (see
/// <see cref="SniffReport"/>). Exit code 0 when the status is ok, 1 for any other status, 2 for usage errors
/// (an unreadable path, a directory, text that is not hex). A truncated hello also says on standard error how many
/// bytes are missing.
/// </summary>
internal static class SniffCommand
{
    /// <summary>Builds the <c>sniff</c> verb.</summary>
    public static Command Create()
    {
        var file = new Argument<string>("file")
        {
            Description = "File holding the client's first bytes (raw, or hex text with --hex); '-' reads standard input.",
        };
        var hex = new Option<bool>("--hex") { Description = "The input is hex text (whitespace and ':' ignored)." };
        var lenient = new Option<bool>("--lenient") { Description = "Use the lenient profile instead of the strict RFC checks." };
        var quic = new Option<bool>("--quic") { Description = "The input is QUIC datagrams (an HTTP/3 client's first packets), each prefixed by its length as a 16-bit big-endian integer." };
        var command = new Command("sniff", "Parse a TLS ClientHello and print its SNI, ALPN, versions, JA3 and JA4 as JSON.")
        {
            file,
            hex,
            lenient,
            quic,
        };
        command.SetAction(parseResult => (parseResult.GetValue(quic) ? QuicSniff.Run : (Func<string, bool, bool, TextWriter, TextWriter, int>)Run)(
            parseResult.GetValue(file)!,
            parseResult.GetValue(hex),
            parseResult.GetValue(lenient),
            parseResult.InvocationConfiguration.Output,
            parseResult.InvocationConfiguration.Error));
        return command;
    }

    private static int Run(string path, bool hex, bool lenient, TextWriter output, TextWriter error)
    {
        byte[]? input = SniffInput.Read(path, hex, out string? problem);
        if (input is null)
        {
            error.WriteLine($"meshgw sniff: {problem}");
            return MeshGatewayCli.UsageError;
        }

        var state = new ClientHelloParserState(lenient ? ClientHelloParserOptions.Lenient : ClientHelloParserOptions.Default);
        ClientHelloStatus status = ClientHelloParser.Parse(input, ref state, default, out ClientHelloInfo hello);
        try
        {
            output.WriteLine(SniffReport.ToJson(status, state, hello));
            if (status == ClientHelloStatus.NeedMoreData && state.BytesNeeded > 0)
            {
                error.WriteLine($"meshgw sniff: truncated, {state.BytesNeeded} bytes short (the least the parser knows is missing).");
            }
        }
        finally
        {
            hello.Dispose();
        }

        return status == ClientHelloStatus.Done ? 0 : 1;
    }
}
