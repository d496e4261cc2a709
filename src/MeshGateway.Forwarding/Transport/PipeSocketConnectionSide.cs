using System.IO.Pipelines;
using System.Net.Sockets;

namespace MeshGateway.Forwarding;

/// <summary>
/// A client side whose received bytes come from a host's pipe (bytes the host already read, a peeked ClientHello
/// included) and whose sent bytes go straight to the host's socket. Writing to the socket rather than to the
/// host's output pipe is what makes the half-close real: <see cref="ShutdownSend"/> is <c>shutdown(SHUT_WR)</c>,
/// a FIN, while the host keeps reading the client into the pipe. Kestrel completes its output pipe with a full
/// close instead (aspnetcore#14937). The host still owns the socket: a graceful close leaves it to the host.
/// </summary>
internal sealed class PipeSocketConnectionSide(PipeReader input, Socket socket) : ConnectionSide
{
    private int _sendShutdown;
    private int _closed;
    private int _receivable;

    public override bool SupportsZeroByteReads => true;

    /// <summary>
    /// What the host's pipe holds beyond the bytes received so far (already read from the client): set by a zero-byte
    /// receive, and after a receive what it left in the pipe, so a count never outlives the bytes it counted.
    /// </summary>
    public override int ReceivableBytes => _receivable;

    /// <summary>Receives come from the host's pipe, which needs no runtime socket operation: failures are thrown.</summary>
    public override ValueTask<int> ReceiveAsync(Memory<byte> buffer, ref SocketPumpOperation? operation) => ReceiveAsync(buffer);

    /// <summary>Sends go straight to the host's socket through the direction's operation: a reset is a status.</summary>
    public override ValueTask<bool> SendAsync(ReadOnlyMemory<byte> data, ref SocketPumpOperation? operation) =>
        (operation ??= new SocketPumpOperation()).SendAllAsync(socket, data);

    [System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<int> ReceiveAsync(Memory<byte> buffer)
    {
        ReadResult result = await input.ReadAsync().ConfigureAwait(false);
        System.Buffers.ReadOnlySequence<byte> data = result.Buffer;
        if (result.IsCanceled)
        {
            input.AdvanceTo(data.Start);
            throw new OperationCanceledException("The client pipe's read was canceled.");
        }

        if (buffer.IsEmpty)
        {
            // A wait for data: consume nothing, so the next read returns at once with the same bytes.
            _receivable = (int)Math.Min(data.Length, int.MaxValue);
            input.AdvanceTo(data.Start);
            return 0;
        }

        int count = (int)Math.Min(data.Length, buffer.Length);
        System.Buffers.BuffersExtensions.CopyTo(data.Slice(0, count), buffer.Span);
        _receivable = (int)Math.Min(data.Length - count, int.MaxValue);
        input.AdvanceTo(data.GetPosition(count));
        return count; // 0 only once the host saw the client's FIN and every byte was read
    }

    public override void ShutdownSend()
    {
        if (Interlocked.Exchange(ref _sendShutdown, 1) == 0)
        {
            socket.Shutdown(SocketShutdown.Send);
        }
    }

    public override void Close(bool reset)
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0)
        {
            return;
        }

        // Completing a reader does not end a read pending on it: wake that read first, or the pump waiting in it
        // would outlive the teardown (until the host itself closed the connection).
        input.CancelPendingRead();
        if (reset)
        {
            // RST, as the host's own abort does; the host's receive loop sees the socket go away.
            SocketConnectionSide.Close(socket, reset: true);
            input.Complete(new IOException("The connection was reset by the forwarder."));
            return;
        }

        try
        {
            ShutdownSend();
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // The peer is already gone.
        }

        input.Complete();
    }

    public override void Dispose() => Close(reset: false);
}
