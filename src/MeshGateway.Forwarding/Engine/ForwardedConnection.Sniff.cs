using System.Buffers;
using System.Runtime.CompilerServices;
using MeshGateway.ClientHello;

namespace MeshGateway.Forwarding;

internal sealed partial class ForwardedConnection
{
    /// <summary>
    /// Reads the ClientHello into <paramref name="buffer"/> until MeshGateway.ClientHello's sniffer decides,
    /// bounded by <see cref="ForwarderOptions.MaxClientHelloBytes"/> wire bytes (a hello not decided within them is
    /// <see cref="ClientHelloStatus.TooLarge"/>) and by the absolute <see cref="ForwarderOptions.SniffTimeout"/>
    /// (the heartbeat aborts the read). Nothing is consumed: every byte read is held and replayed upstream.
    /// Returns the bytes held, or -1 when the connection was closed here.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<int> SniffAsync(byte[] buffer, ClientHelloParserOptions parserOptions)
    {
        int budget = _settings.MaxClientHelloBytes;
        int filled = 0;
        using var sniffer = new ClientHelloSniffer(parserOptions);
        while (true)
        {
            // The client-to-upstream direction's operation: the pump reuses it.
            int read = await _client.ReceiveAsync(buffer.AsMemory(filled, budget - filled), ref _toUpstream).ConfigureAwait(false);
            if (read < 0)
            {
                AbortOnSocketError(CloseCause.ClientReset, _toUpstream);
                return -1;
            }

            if (read == 0)
            {
                // The client closed before it finished its ClientHello.
                Abort(CloseCause.ClientClosed, error: null, reset: false);
                return -1;
            }

            filled += read;
            ClientHelloStatus status = sniffer.Sniff(new ReadOnlySequence<byte>(buffer, 0, filled));
            if (status == ClientHelloStatus.NeedMoreData)
            {
                if (filled < budget)
                {
                    continue;
                }

                status = ClientHelloStatus.TooLarge;
            }

            if (status == ClientHelloStatus.Done)
            {
                Context.ClientHello = ClientHelloSniff.Describe(sniffer);
            }

            Context.SniffStatus = status;
            _stages.Metrics.SniffCompleted(_stages.TimeProvider.GetElapsedTime(_startTimestamp), status);
            if (status == ClientHelloStatus.TooLarge)
            {
                Refuse(CloseCause.ClientHelloTooLarge);
                return -1;
            }

            return filled;
        }
    }
}
