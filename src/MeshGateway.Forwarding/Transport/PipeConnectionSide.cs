using System.Buffers;
using System.IO.Pipelines;

namespace MeshGateway.Forwarding;

/// <summary>
/// A client side handed over as pipes (System.IO.Pipelines), for hosts such as Kestrel connection middleware.
/// Completing the output is the half-close; whether the host turns it into a FIN (rather than a full close) is
/// the host's business (Kestrel closes both ways: aspnetcore#14937). A reset completes both pipes with an error.
/// </summary>
internal sealed class PipeConnectionSide(IDuplexPipe pipe) : ConnectionSide
{
    private int _completed;
    private int _receivable;

    public override bool SupportsZeroByteReads => true;

    /// <summary>
    /// What the host's pipe holds beyond the bytes received so far (already read from the client): set by a zero-byte
    /// receive, and after a receive what it left in the pipe, so a count never outlives the bytes it counted.
    /// </summary>
    public override int ReceivableBytes => _receivable;

    /// <summary>Pipes need no runtime socket operation: failures are thrown (<see cref="ConnectionSide.IsTransportError(Exception)"/>).</summary>
    public override ValueTask<int> ReceiveAsync(Memory<byte> buffer, ref SocketPumpOperation? operation) => ReceiveAsync(buffer);

    public override ValueTask<bool> SendAsync(ReadOnlyMemory<byte> data, ref SocketPumpOperation? operation) => SendAllAsync(data);

    [System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<int> ReceiveAsync(Memory<byte> buffer)
    {
        ReadResult result = await pipe.Input.ReadAsync().ConfigureAwait(false);
        ReadOnlySequence<byte> data = result.Buffer;
        if (result.IsCanceled)
        {
            pipe.Input.AdvanceTo(data.Start);
            throw new OperationCanceledException("The client pipe's read was canceled.");
        }

        if (buffer.IsEmpty)
        {
            // A wait for data: examine nothing and consume nothing, so the next read returns at once.
            _receivable = (int)Math.Min(data.Length, int.MaxValue);
            pipe.Input.AdvanceTo(data.Start);
            return 0;
        }

        int count = (int)Math.Min(data.Length, buffer.Length);
        data.Slice(0, count).CopyTo(buffer.Span);
        _receivable = (int)Math.Min(data.Length - count, int.MaxValue);
        pipe.Input.AdvanceTo(data.GetPosition(count));
        return count; // 0 only when the buffer is empty and the writer completed: the client's FIN
    }

    [System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<bool> SendAllAsync(ReadOnlyMemory<byte> data)
    {
        FlushResult result = await pipe.Output.WriteAsync(data).ConfigureAwait(false);
        if (result.IsCompleted || result.IsCanceled)
        {
            throw new IOException("The client pipe's reader is gone.");
        }

        return true;
    }

    public override void ShutdownSend() => pipe.Output.Complete();

    public override void Close(bool reset)
    {
        if (Interlocked.Exchange(ref _completed, 1) != 0)
        {
            return;
        }

        // Completing a reader does not end a read pending on it: wake that read first, or the pump waiting in it
        // would outlive the teardown (until the host itself closed the connection).
        pipe.Input.CancelPendingRead();
        Exception? error = reset ? new IOException("The connection was reset by the forwarder.") : null;
        pipe.Input.Complete(error);
        pipe.Output.Complete(error);
    }

    public override void Dispose() => Close(reset: false);
}
