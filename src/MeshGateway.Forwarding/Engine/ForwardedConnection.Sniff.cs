using System.Buffers;
using System.Runtime.CompilerServices;

namespace MeshGateway.Forwarding;

internal sealed partial class ForwardedConnection
{
    /// <summary>
    /// Reads the ClientHello into <paramref name="buffer"/> until the inspection decides, bounded by
    /// <see cref="ForwarderOptions.MaxClientHelloBytes"/> and by the absolute <see cref="ForwarderOptions.SniffTimeout"/>
    /// (the heartbeat aborts the read). Nothing is consumed: every byte read is held and replayed upstream.
    /// Returns the bytes held, or -1 when the connection was closed here.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<int> SniffAsync(byte[] buffer)
    {
        int budget = _settings.MaxClientHelloBytes;
        int filled = 0;
        using IClientHelloInspection inspection = _stages.Inspector!.Start(Context);
        while (true)
        {
            Memory<byte> free = buffer.AsMemory(filled, budget - filled);
            // The client-to-upstream direction's operation: the pump reuses it.
            int read = await _client.ReceiveAsync(free, ref _toUpstream).ConfigureAwait(false);
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
            InspectionStatus status = inspection.Inspect(new ReadOnlySequence<byte>(buffer, 0, filled));
            if (status == InspectionStatus.NeedMoreData)
            {
                if (filled < budget)
                {
                    continue;
                }

                status = InspectionStatus.TooLarge;
            }

            Context.Inspection = status;
            _stages.Metrics.SniffCompleted(_stages.TimeProvider.GetElapsedTime(_startTimestamp), status);
            if (status == InspectionStatus.TooLarge)
            {
                Refuse(CloseCause.ClientHelloTooLarge);
                return -1;
            }

            return filled;
        }
    }
}
