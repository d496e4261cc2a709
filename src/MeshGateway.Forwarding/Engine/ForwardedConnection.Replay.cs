using System.Runtime.CompilerServices;

namespace MeshGateway.Forwarding;

internal sealed partial class ForwardedConnection
{
    /// <summary>
    /// Sends [preamble][held bytes] upstream in one send: the PROXY spec wants its header "at once", and the
    /// held bytes are exactly what was read from the client, unchanged. False when the upstream failed (the
    /// connection is then closed with <see cref="CloseCause.UpstreamReset"/>).
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<bool> ReplayAsync(int heldLength)
    {
        ReadOnlyMemory<byte> held = _held.AsMemory(0, heldLength);
        ConnectionSide upstream = _upstream!;
        IUpstreamPreambleWriter? preamble = Context.Route!.Cluster.Preamble;
        bool sent = true;
        if (preamble is null)
        {
            if (heldLength > 0)
            {
                sent = await upstream.SendAsync(held, ref _toUpstream).ConfigureAwait(false);
            }
        }
        else
        {
            byte[] first = RentFirstSend(preamble, heldLength, out int length);
            try
            {
                sent = await upstream.SendAsync(first.AsMemory(0, length), ref _toUpstream).ConfigureAwait(false);
            }
            finally
            {
                _stages.Buffers.Return(first);
            }
        }

        if (!sent)
        {
            AbortOnSocketError(CloseCause.UpstreamReset, upstream, _toUpstream);
            return false;
        }

        Interlocked.Add(ref Context.BytesFromClientCounter, heldLength);
        return true;
    }

    /// <summary>
    /// The first send upstream when the cluster writes a preamble: [preamble][the <paramref name="heldLength"/> held
    /// bytes] in one rented buffer (the caller returns it), <paramref name="length"/> bytes long.
    /// </summary>
    private byte[] RentFirstSend(IUpstreamPreambleWriter preamble, int heldLength, out int length)
    {
        byte[] first = _stages.Buffers.Rent(preamble.GetMaxLength(Context) + heldLength);
        int written = preamble.Write(Context, first);
        _held.AsSpan(0, heldLength).CopyTo(first.AsSpan(written));
        length = written + heldLength;
        return first;
    }

    /// <summary>
    /// Gives the sniffed bytes' buffer back: once they are replayed, or when the connection ends before. Only the
    /// connection's own flow calls it, after every receive into the buffer has completed.
    /// </summary>
    private void ReturnHeld()
    {
        if (_held is { } held)
        {
            _held = null;
            _stages.Buffers.Return(held);
        }
    }
}
