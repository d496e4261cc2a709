using System.Buffers;
using System.IO.Pipelines;
using MeshGateway.ClientHello;

namespace MeshGateway.Forwarding.AspNetCore;

/// <summary>
/// Mixed mode's sniff: reads a ClientHello from a pipe without consuming a byte (Kestrel's <c>TlsListener</c>
/// pattern): while more is needed, <c>AdvanceTo(start, end)</c> (everything examined, nothing consumed, so the next
/// read waits for new bytes instead of spinning); once decided, <c>AdvanceTo(start)</c>, so whoever reads next
/// sees every byte from the first. The sniffer keeps its parse position, so a hello sent a byte at a time costs
/// O(n). The result is handed to the engine, which then does not sniff again.
/// </summary>
/// <remarks>
/// The same two caps as the engine's sniff: <c>maxWireBytes</c> (<see cref="ForwarderOptions.MaxClientHelloBytes"/>)
/// bounds the bytes held, which a client can inflate with tiny records (1-byte records cost 6 wire bytes per
/// handshake byte), and the parser's handshake-length cap bounds the message. A hello not decided within the wire
/// cap is <see cref="ClientHelloStatus.TooLarge"/>.
/// </remarks>
internal static class ClientHelloPeek
{
    /// <summary>
    /// The parser's status for the bytes peeked: <see cref="ClientHelloStatus.Done"/> with the hello, or a final
    /// status; <see cref="ClientHelloStatus.NeedMoreData"/> when the input ended (the client finished sending or the
    /// host aborted) or <paramref name="cancellationToken"/> (the deadline) fired before a whole hello arrived.
    /// </summary>
    public static async ValueTask<(ClientHelloStatus Status, SniffedClientHello? Hello)> PeekAsync(
        PipeReader input, int maxWireBytes, ClientHelloParserOptions parserOptions, CancellationToken cancellationToken)
    {
        using var sniffer = new ClientHelloSniffer(parserOptions);
        while (true)
        {
            ReadResult result;
            try
            {
                result = await input.ReadAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return (ClientHelloStatus.NeedMoreData, null);
            }

            ReadOnlySequence<byte> buffer = result.Buffer;
            // Only the first maxWireBytes count: a hello not decided within them is given up, however fast the
            // rest arrived (a burst of tiny records is in the buffer at once).
            ReadOnlySequence<byte> window = buffer.Length > maxWireBytes ? buffer.Slice(0, maxWireBytes) : buffer;
            ClientHelloStatus status = result.IsCanceled ? ClientHelloStatus.NeedMoreData : sniffer.Sniff(window);
            if (status == ClientHelloStatus.NeedMoreData && buffer.Length >= maxWireBytes)
            {
                input.AdvanceTo(buffer.Start);
                return (ClientHelloStatus.TooLarge, null);
            }

            if (status == ClientHelloStatus.NeedMoreData && !result.IsCompleted && !result.IsCanceled)
            {
                input.AdvanceTo(buffer.Start, buffer.End);
                continue;
            }

            input.AdvanceTo(buffer.Start);
            return (status, status == ClientHelloStatus.Done ? ClientHelloSniff.Describe(sniffer) : null);
        }
    }
}
