using System.Net.Sockets;

namespace MeshGateway.Forwarding;

/// <summary>A connection side over a raw <see cref="Socket"/>: real half-close and real RST.</summary>
internal class SocketConnectionSide(Socket socket) : ConnectionSide
{
    public Socket Socket { get; } = socket;

    public override Socket? RuntimeSocket => Socket;

    public override bool SupportsZeroByteReads => true;

    public override ValueTask<int> ReceiveAsync(Memory<byte> buffer) => Socket.ReceiveAsync(buffer, SocketFlags.None);

    public override async ValueTask SendAsync(ReadOnlyMemory<byte> data)
    {
        while (!data.IsEmpty)
        {
            int sent = await Socket.SendAsync(data, SocketFlags.None).ConfigureAwait(false);
            data = data[sent..];
        }
    }

    public override void ShutdownSend() => Socket.Shutdown(SocketShutdown.Send);

    public override void Close(bool reset) => Close(Socket, reset);

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

        socket.Dispose();
    }
}
