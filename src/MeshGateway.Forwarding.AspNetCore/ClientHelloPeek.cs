using System.Buffers;
using System.IO.Pipelines;
using MeshGateway.ClientHello;

namespace MeshGateway.Forwarding.AspNetCore;

/// <summary>How a peek at the ClientHello ended.</summary>
internal enum PeekStatus : byte
{
    /// <summary>A whole ClientHello was read; the info is set.</summary>
    Complete,

    /// <summary>The first bytes are not a TLS handshake record, or the hello is malformed or too large.</summary>
    NotClientHello,

    /// <summary>The client finished sending (or the host aborted) before a whole hello arrived.</summary>
    Ended,

    /// <summary>The deadline passed before a whole hello arrived.</summary>
    TimedOut,
}

/// <summary>
/// Reads a ClientHello from a pipe without consuming a byte (Kestrel's <c>TlsListener</c> pattern): while more is
/// needed, <c>AdvanceTo(start, end)</c> (everything examined, nothing consumed, so the next read waits for new
/// bytes instead of spinning); once decided, <c>AdvanceTo(start)</c>, so whoever reads next sees every byte from
/// the first. The sniffer keeps its parse position, so a hello sent a byte at a time costs O(n).
/// </summary>
/// <remarks>
/// The parser's limit is on the handshake message; the bytes held while peeking are wire bytes, which a client
/// can inflate with tiny records (1-byte records cost 6 wire bytes per handshake byte). So the peek also gives up
/// (<see cref="PeekStatus.NotClientHello"/>) once it holds more than <see cref="MaxWireBytes"/> for the limit.
/// </remarks>
internal static class ClientHelloPeek
{
    /// <summary>
    /// Wire bytes held at most for a handshake limit of <paramref name="maxHandshakeLength"/>: the handshake, its
    /// 4-byte header, and 5-byte record headers for full 16 KiB records plus 64 more (RFC 8446 §5.1 allows any
    /// fragmentation; real clients use one or two records).
    /// </summary>
    public static int MaxWireBytes(int maxHandshakeLength) => maxHandshakeLength + 4 + (5 * ((maxHandshakeLength / 16384) + 1 + 64));

    public static async ValueTask<(PeekStatus Status, SniffedClientHello? Hello)> PeekAsync(
        PipeReader input, ClientHelloParserOptions parserOptions, CancellationToken cancellationToken)
    {
        long maxWireBytes = MaxWireBytes(parserOptions.MaxHandshakeLength);
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
                return (PeekStatus.TimedOut, null);
            }

            ReadOnlySequence<byte> buffer = result.Buffer;
            // Only the first maxWireBytes count: a hello not decided within them is given up, however fast the
            // rest arrived (a burst of tiny records is in the buffer at once).
            ReadOnlySequence<byte> window = buffer.Length > maxWireBytes ? buffer.Slice(0, maxWireBytes) : buffer;
            ClientHelloStatus status = result.IsCanceled ? ClientHelloStatus.NeedMoreData : sniffer.Sniff(window);
            if (status == ClientHelloStatus.NeedMoreData && buffer.Length >= maxWireBytes)
            {
                input.AdvanceTo(buffer.Start);
                return (PeekStatus.NotClientHello, null);
            }

            if (status == ClientHelloStatus.NeedMoreData && !result.IsCompleted && !result.IsCanceled)
            {
                input.AdvanceTo(buffer.Start, buffer.End);
                continue;
            }

            input.AdvanceTo(buffer.Start);
            return status switch
            {
                ClientHelloStatus.Done => (PeekStatus.Complete, new SniffedClientHello(sniffer.GetServerName(), sniffer.GetApplicationProtocols(), sniffer.HelloLength)
                {
                    OffersEncryptedClientHello = sniffer.Hello.Ech == ClientHelloEchKind.Outer,
                }),
                ClientHelloStatus.NeedMoreData => (PeekStatus.Ended, null),
                _ => (PeekStatus.NotClientHello, null),
            };
        }
    }
}
