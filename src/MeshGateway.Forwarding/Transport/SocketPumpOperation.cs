using System.Net.Sockets;
using System.Threading.Tasks.Sources;

namespace MeshGateway.Forwarding;

/// <summary>
/// One pump direction's socket receive/send, reused for the life of the direction (receive and send never overlap
/// within a direction), that reports failure as a <see cref="SocketError"/> instead of throwing. The runtime's
/// <c>Socket.ReceiveAsync(Memory)</c> throws a <see cref="SocketException"/> for a reset or for the abort a
/// teardown causes, and builds a formatted stack trace string for every one (~20 KB and tens of microseconds);
/// a churned connection ends that way once or twice. Kestrel's socket transport avoids it the same way
/// (<c>SocketAwaitableEventArgs</c>).
/// </summary>
internal sealed class SocketPumpOperation : SocketAsyncEventArgs, IValueTaskSource<int>
{
    private ManualResetValueTaskSourceCore<int> _source;

    public SocketPumpOperation()
        : base(unsafeSuppressExecutionContextFlow: true)
    {
    }

    /// <summary>How the last operation ended; <see cref="SocketError.Success"/> unless it failed.</summary>
    public SocketError Error { get; private set; }

    /// <summary>Receives into <paramref name="buffer"/>: the bytes read (0 = end of stream, or data ready for an empty buffer), or -1 with <see cref="Error"/> set.</summary>
    public ValueTask<int> ReceiveAsync(Socket socket, Memory<byte> buffer)
    {
        SetBuffer(buffer);
        _source.Reset();
        try
        {
            if (socket.ReceiveAsync(this))
            {
                return new ValueTask<int>(this, _source.Version);
            }
        }
        catch (ObjectDisposedException)
        {
            // Torn down before this receive started.
            return new ValueTask<int>(Fail(SocketError.OperationAborted));
        }

        return new ValueTask<int>(Result());
    }

    /// <summary>Sends <paramref name="data"/> once: the bytes sent (possibly fewer), or -1 with <see cref="Error"/> set.</summary>
    public ValueTask<int> SendAsync(Socket socket, ReadOnlyMemory<byte> data)
    {
        SetBuffer(System.Runtime.InteropServices.MemoryMarshal.AsMemory(data));
        _source.Reset();
        try
        {
            if (socket.SendAsync(this))
            {
                return new ValueTask<int>(this, _source.Version);
            }
        }
        catch (ObjectDisposedException)
        {
            return new ValueTask<int>(Fail(SocketError.OperationAborted));
        }

        return new ValueTask<int>(Result());
    }

    /// <summary>Sends every byte of <paramref name="data"/>; false (with <see cref="Error"/> set) when the socket failed.</summary>
    [System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<bool> SendAllAsync(Socket socket, ReadOnlyMemory<byte> data)
    {
        while (!data.IsEmpty)
        {
            int sent = await SendAsync(socket, data).ConfigureAwait(false);
            if (sent < 0)
            {
                return false;
            }

            data = data[sent..];
        }

        return true;
    }

    int IValueTaskSource<int>.GetResult(short token) => _source.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource<int>.GetStatus(short token) => _source.GetStatus(token);

    void IValueTaskSource<int>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _source.OnCompleted(continuation, state, token, flags);

    protected override void OnCompleted(SocketAsyncEventArgs e) => _source.SetResult(Result());

    private int Result()
    {
        int result = SocketError == SocketError.Success ? BytesTransferred : Fail(SocketError);
        SetBuffer(Memory<byte>.Empty); // hold no reference to a pooled buffer between operations
        return result;
    }

    private int Fail(SocketError error)
    {
        Error = error;
        return -1;
    }
}
