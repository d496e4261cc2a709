using System.Net;
using System.Net.Sockets;

namespace MeshGateway.Testing;

/// <summary>
/// The socket loops of <see cref="Loopback"/> with the caller's token. The benchmarks pass
/// <see cref="CancellationToken.None"/>, so that a measurement never pays for a cancellation registration; tests call
/// <see cref="Loopback"/>, which passes the running test's token.
/// </summary>
public static class LoopbackSockets
{
    /// <summary>Connects a new socket (Nagle off) to <paramref name="endPoint"/>.</summary>
    public static async Task<Socket> ConnectAsync(EndPoint endPoint, CancellationToken cancellationToken)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(endPoint, cancellationToken);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Sends every byte of <paramref name="data"/>, however the kernel splits the sends.</summary>
    public static async Task SendAllAsync(Socket socket, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        while (!data.IsEmpty)
        {
            int sent = await socket.SendAsync(data, SocketFlags.None, cancellationToken);
            data = data[sent..];
        }
    }

    /// <summary>Reads until EOF into <paramref name="buffer"/>, keeping nothing, and returns how many bytes arrived.</summary>
    public static async Task<long> DrainAsync(Socket socket, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        long total = 0;
        int read;
        while ((read = await socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken)) > 0)
        {
            total += read;
        }

        return total;
    }
}
