using System.Net.Sockets;

namespace MeshGateway.Forwarding;

/// <summary>
/// One side of a forwarded connection as the engine sees it: receive, send-all, half-close, teardown. The
/// upstream is always a socket; the client is a socket (<see cref="SocketConnectionSide"/>) or a pair of pipes
/// handed over by a host (<see cref="PipeConnectionSide"/>).
/// </summary>
internal abstract class ConnectionSide : IDisposable
{
    /// <summary>
    /// The socket, when the engine may run the runtime's own asynchronous operations on it (the copy pump's
    /// <see cref="SocketPumpOperation"/>); null for pipes and for sockets on the splice pump's own readiness loop,
    /// which the runtime must never register (<see cref="EpollReadiness"/>).
    /// </summary>
    public virtual System.Net.Sockets.Socket? RuntimeSocket => null;

    /// <summary>True when a zero-byte receive waits for data without consuming it.</summary>
    public abstract bool SupportsZeroByteReads { get; }

    /// <summary>Receives into <paramref name="buffer"/>; 0 means the peer finished sending (or, for an empty buffer, that data is ready).</summary>
    public abstract ValueTask<int> ReceiveAsync(Memory<byte> buffer);

    /// <summary>Sends every byte of <paramref name="data"/>.</summary>
    public abstract ValueTask SendAsync(ReadOnlyMemory<byte> data);

    /// <summary>Half-closes: no more bytes will be sent to this side (FIN).</summary>
    public abstract void ShutdownSend();

    /// <summary>Tears this side down: abortively (RST) when <paramref name="reset"/>, otherwise gracefully.</summary>
    public abstract void Close(bool reset);

    /// <summary>Releases the transport.</summary>
    public abstract void Dispose();

    /// <summary>True for the exceptions a transport raises when its peer resets or the engine tears it down.</summary>
    public static bool IsTransportError(Exception error) =>
        error is SocketException or ObjectDisposedException or IOException or OperationCanceledException or InvalidOperationException;
}
