using System.Net.Sockets;

namespace MeshGateway.Forwarding;

/// <summary>
/// A connection side over a raw <see cref="Socket"/> the runtime waits on: receives and sends go through the
/// direction's <see cref="SocketPumpOperation"/> (a reset is a status, not an exception); real half-close and real RST.
/// </summary>
internal class SocketConnectionSide(Socket socket) : ConnectionSide
{
    public Socket Socket { get; } = socket;

    public override bool SupportsZeroByteReads => true;

    public override bool CloseSendsFin => true;

    public override System.Runtime.InteropServices.SafeHandle? SpliceHandle => Socket.SafeHandle;

    /// <summary>The bytes in the socket's receive queue (<c>FIONREAD</c>, tcp(7) <c>SIOCINQ</c>); 0 once it is torn down.</summary>
    public override int ReceivableBytes
    {
        get
        {
            try
            {
                return Socket.Available;
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                return 0;   // reset or torn down: the receive that follows says how
            }
        }
    }

    /// <summary>
    /// The side for an accepted client socket: on Linux, in every pump mode, a socket the forwarder's own readiness
    /// loop waits on (so the runtime never registers it; see <see cref="EpollReadiness"/>), on
    /// <paramref name="loop"/> when given, else on the next loop; elsewhere, or when the loop cannot take it, the runtime's.
    /// </summary>
    public static ConnectionSide ForAccepted(ForwarderSettings settings, Socket client, EpollReadiness? loop = null) =>
        settings.OwnReadiness && (loop ?? EpollReadiness.Next()) is { } chosen
            && ReadinessSocketSide.TryCreate(chosen, client) is { } side
            ? side
            : new SocketConnectionSide(client);

    public override ValueTask<int> ReceiveAsync(Memory<byte> buffer, ref SocketPumpOperation? operation) =>
        (operation ??= new SocketPumpOperation()).ReceiveAsync(Socket, buffer);

    public override ValueTask<bool> SendAsync(ReadOnlyMemory<byte> data, ref SocketPumpOperation? operation) =>
        (operation ??= new SocketPumpOperation()).SendAllAsync(Socket, data);

    public override void ShutdownSend() => Socket.Shutdown(SocketShutdown.Send);

    public override void Close(bool reset) => Close(Socket, reset);

    /// <summary>Both FINs are through: close(2) without a shutdown(2) that could only fail with ENOTCONN.</summary>
    public override void CloseFinished() => Socket.Dispose();

    public override void Dispose() => Socket.Dispose();

    /// <summary>
    /// Closes <paramref name="socket"/>: with <paramref name="reset"/>, linger on with a zero timeout so close()
    /// sends RST (RFC 793 §3.5 "abort"); otherwise shut both ways down, which sends FIN.
    /// </summary>
    public static void Close(Socket? socket, bool reset)
    {
        if (socket is null)
        {
            return;
        }

        EndBeforeClose(socket, reset);
        socket.Dispose();
    }

    /// <summary>
    /// The part of <see cref="Close(Socket?, bool)"/> before the descriptor is closed: the RST armed (linger 0) or the
    /// FIN sent (shutdown both ways).
    /// </summary>
    private static void EndBeforeClose(Socket socket, bool reset)
    {
        try
        {
            if (reset)
            {
                socket.LingerState = new LingerOption(true, 0);
            }
            else
            {
                socket.Shutdown(SocketShutdown.Both);
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Already closed or reset by the peer.
        }
    }
}
