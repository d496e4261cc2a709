using System.Net;
using System.Net.Sockets;

namespace MeshGateway.LoadGen;

/// <summary>Socket helpers shared by the modes.</summary>
internal static class Net
{
    public static async Task<Socket> ConnectAsync(IPEndPoint target, CancellationToken cancellationToken)
    {
        var socket = new Socket(target.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(target, cancellationToken);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public static async Task ReadExactlyAsync(Socket socket, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        while (!buffer.IsEmpty)
        {
            int read = await socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken);
            if (read == 0)
            {
                throw new EndOfStreamException($"connection closed with {buffer.Length} bytes still expected");
            }

            buffer = buffer[read..];
        }
    }

    public static string Rate(double value) => value.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture);
}
