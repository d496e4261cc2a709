using System.Net;
using System.Net.Sockets;
using Xunit;

namespace MeshGateway.Testing;

/// <summary>
/// Plain TCP on 127.0.0.1 for tests: every operation that waits is cancelled with the running test
/// (<c>TestContext.Current.CancellationToken</c>). The same operations with the caller's token are
/// <see cref="LoopbackSockets"/>.
/// </summary>
public static class Loopback
{
    /// <summary>A listening socket on an ephemeral port of 127.0.0.1.</summary>
    /// <param name="backlog">How many connections may wait to be accepted (<c>listen(2)</c>'s backlog).</param>
    public static Socket Listen(int backlog = 64)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        socket.Listen(backlog);
        return socket;
    }

    /// <summary>Connects a new socket (Nagle off) to <paramref name="endPoint"/>, cancelled with the running test.</summary>
    public static Task<Socket> ConnectAsync(EndPoint endPoint) =>
        LoopbackSockets.ConnectAsync(endPoint, TestContext.Current.CancellationToken);

    /// <summary>A port that refuses connections: bound, never listening, kept open for the test's life.</summary>
    public static Socket RefusingPort()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return socket;
    }

    /// <summary>Sends every byte of <paramref name="data"/>, cancelled with the running test.</summary>
    public static Task SendAllAsync(Socket socket, ReadOnlyMemory<byte> data) =>
        LoopbackSockets.SendAllAsync(socket, data, TestContext.Current.CancellationToken);

    /// <summary>Reads until EOF and returns every byte.</summary>
    public static async Task<byte[]> ReadToEndAsync(Socket socket)
    {
        using var all = new MemoryStream();
        await CopyToEndAsync(socket, all);
        return all.ToArray();
    }

    /// <summary>Reads exactly <paramref name="count"/> bytes; EOF before that is an <see cref="EndOfStreamException"/>.</summary>
    public static async Task<byte[]> ReadExactlyAsync(Socket socket, int count)
    {
        byte[] data = new byte[count];
        int filled = 0;
        while (filled < count)
        {
            int read = await socket.ReceiveAsync(data.AsMemory(filled), SocketFlags.None, TestContext.Current.CancellationToken);
            if (read == 0)
            {
                throw new EndOfStreamException($"EOF after {filled} of {count} bytes.");
            }

            filled += read;
        }

        return data;
    }

    /// <summary>Closes with linger 0, which sends RST instead of FIN.</summary>
    public static void Reset(Socket socket)
    {
        socket.LingerState = new LingerOption(true, 0);
        socket.Dispose();
    }

    /// <summary>Reads until the socket reports an error or EOF; returns the socket error (Success for EOF).</summary>
    public static async Task<SocketError> ReadUntilClosedAsync(Socket socket)
    {
        byte[] buffer = new byte[4096];
        try
        {
            while (await socket.ReceiveAsync(buffer, SocketFlags.None, TestContext.Current.CancellationToken) > 0)
            {
            }

            return SocketError.Success;
        }
        catch (SocketException e)
        {
            return e.SocketErrorCode;
        }
    }

    /// <summary>Reads until EOF or a reset and returns every byte that arrived.</summary>
    public static async Task<byte[]> ReadToEndOrResetAsync(Socket socket)
    {
        using var all = new MemoryStream();
        try
        {
            await CopyToEndAsync(socket, all);
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
        {
        }

        return all.ToArray();
    }

    private static async Task CopyToEndAsync(Socket socket, MemoryStream destination)
    {
        byte[] buffer = new byte[16 * 1024];
        int read;
        while ((read = await socket.ReceiveAsync(buffer, SocketFlags.None, TestContext.Current.CancellationToken)) > 0)
        {
            destination.Write(buffer, 0, read);
        }
    }
}
