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
internal static class ClientHelloPeek
{
    public static async ValueTask<(PeekStatus Status, SniffedClientHello? Hello)> PeekAsync(
        PipeReader input, ClientHelloParserOptions parserOptions, CancellationToken cancellationToken)
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
                return (PeekStatus.TimedOut, null);
            }

            ReadOnlySequence<byte> buffer = result.Buffer;
            ClientHelloStatus status = result.IsCanceled ? ClientHelloStatus.NeedMoreData : sniffer.Sniff(buffer);
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
