using System.Net.Sockets;

namespace MeshGateway.Forwarding;

/// <summary>
/// One side of a forwarded connection as the engine sees it: receive, send-all, half-close, teardown, and what
/// the transport can do beyond that (splice, wait for writability, dial a sibling on the same readiness loop).
/// The engine only calls these members; it never asks which kind of side it holds. The kinds are a socket the
/// runtime waits on (<see cref="SocketConnectionSide"/>), a socket on the forwarder's own readiness loop
/// (<see cref="ReadinessSocketSide"/>, Linux), and a host's pipes (<see cref="PipeConnectionSide"/>,
/// <see cref="PipeSocketConnectionSide"/>).
/// </summary>
/// <remarks>
/// A direction (source → destination) owns one <see cref="SocketPumpOperation"/> slot, passed by reference to the
/// source's receive and the destination's send (they never overlap within a direction). A socket side reports a
/// failure as a negative count / false, without an exception, and <see cref="Failure"/> says how it failed: one
/// that runs the runtime's socket operations creates the operation in that slot on first use and keeps the error
/// there, one on the own readiness loop keeps it itself. Pipe sides leave the slot alone and throw one of the
/// exceptions <see cref="IsTransportError(Exception)"/> accepts.
/// </remarks>
internal abstract class ConnectionSide : IDisposable
{
    /// <summary>True when a zero-byte receive waits for data without consuming it.</summary>
    public abstract bool SupportsZeroByteReads { get; }

    /// <summary>
    /// The socket handle <c>splice(2)</c> may move bytes through, or null when this side is not a kernel socket
    /// the forwarder may splice (pipes).
    /// </summary>
    public virtual System.Runtime.InteropServices.SafeHandle? SpliceHandle => null;

    /// <summary>
    /// True for a kernel socket the engine owns and closes itself: once the socket's own input has ended in a FIN, its
    /// <c>close(2)</c> sends the FIN the other direction still owes, so a last half-close needs no <c>shutdown(2)</c>.
    /// False for a host's socket or pipes, which the engine must half-close explicitly.
    /// </summary>
    public virtual bool CloseSendsFin => false;

    /// <summary>
    /// Bytes known to be waiting to be received, as a sizing hint once a zero-byte receive said data is ready (the
    /// sniff rents a buffer of that size, not the whole ClientHello cap); 0 when unknown.
    /// </summary>
    public virtual int ReceivableBytes => 0;

    /// <summary>What <see cref="TryReceive"/> returns on a side that cannot receive without waiting.</summary>
    public const int ReceiveNotSupported = int.MinValue;

    /// <summary>What <see cref="TryReceive"/> returns when nothing has arrived yet (EAGAIN on a socket).</summary>
    public const int NothingYet = -11;

    /// <summary>
    /// Receives what has already arrived, without waiting: the bytes read (0: the peer finished sending),
    /// <see cref="NothingYet"/>, another negative value when the transport failed (<see cref="Failure"/> says how), or
    /// <see cref="ReceiveNotSupported"/> when this side only receives through <see cref="ReceiveAsync"/>.
    /// </summary>
    public virtual int TryReceive(Memory<byte> buffer) => ReceiveNotSupported;

    /// <summary>True when <see cref="WaitWritableAsync"/> can wait for this side to take more bytes.</summary>
    public virtual bool CanWaitWritable => false;

    /// <summary>
    /// Receives into <paramref name="buffer"/>: the bytes read (0 means the peer finished sending, or, for an empty
    /// buffer, that data is ready), or a negative value when the transport failed (<see cref="Failure"/> says how).
    /// </summary>
    public abstract ValueTask<int> ReceiveAsync(Memory<byte> buffer, ref SocketPumpOperation? operation);

    /// <summary>Sends every byte of <paramref name="data"/>; false when the transport failed (<see cref="Failure"/> says how).</summary>
    public abstract ValueTask<bool> SendAsync(ReadOnlyMemory<byte> data, ref SocketPumpOperation? operation);

    /// <summary>
    /// How a receive or send that reported failure (negative count, false) through <paramref name="operation"/>'s slot
    /// failed; <see cref="SocketError.SocketError"/> when nothing more is known.
    /// </summary>
    public virtual SocketError Failure(SocketPumpOperation? operation) => operation?.Error ?? SocketError.SocketError;

    /// <summary>Waits until this side can take more bytes (only when <see cref="CanWaitWritable"/>).</summary>
    public virtual ValueTask WaitWritableAsync() => throw new NotSupportedException();

    /// <summary>Half-closes: no more bytes will be sent to this side (FIN).</summary>
    public abstract void ShutdownSend();

    /// <summary>Tears this side down: abortively (RST) when <paramref name="reset"/>, otherwise gracefully.</summary>
    public abstract void Close(bool reset);

    /// <summary>
    /// Closes a side whose both directions already ended cleanly (its FIN was sent with <see cref="ShutdownSend"/> and
    /// its peer's FIN was read): nothing is left to shut down, so a socket is just closed. Default: a graceful
    /// <see cref="Close(bool)"/>.
    /// </summary>
    public virtual void CloseFinished() => Close(reset: false);

    /// <summary>Releases the transport.</summary>
    public abstract void Dispose();

    /// <summary>
    /// Whether completions run inline on the thread that observed readiness (only while a pump runs; before and
    /// after, user code such as resolvers and observers must not run on a readiness loop). No-op for most kinds.
    /// </summary>
    public virtual void SetInlineCompletions(bool inline)
    {
    }

    /// <summary>
    /// Dials the connection's other side the way this side waits (the own readiness loop connects without the
    /// runtime); null when this kind has no such dial and the stage connector is to be used.
    /// </summary>
    public virtual ValueTask<ConnectionSide?> ConnectPeerAsync(System.Net.EndPoint endPoint, CancellationToken cancellationToken) =>
        ValueTask.FromResult<ConnectionSide?>(null);

    /// <summary>Wraps a socket dialed by a connector as the connection's other side, waiting the way this side waits.</summary>
    public virtual ConnectionSide AdoptPeer(Socket socket) => new SocketConnectionSide(socket);

    /// <summary>True when both sides are kernel sockets <c>splice(2)</c> can move bytes between.</summary>
    public bool CanSpliceWith(ConnectionSide other) => SpliceHandle is not null && other.SpliceHandle is not null;

    /// <summary>True for the exceptions a transport raises when its peer resets or the engine tears it down.</summary>
    public static bool IsTransportError(Exception error) =>
        error is SocketException or ObjectDisposedException or IOException or OperationCanceledException or InvalidOperationException;
}
