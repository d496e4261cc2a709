using System.Net;
using System.Net.Sockets;

namespace MeshGateway.Consul.Tests.Infrastructure;

/// <summary>
/// A service instance on 127.0.0.1 that counts the connections it accepts: each one is read until the client's first
/// bytes (the ClientHello the gateway replays) arrive, then closed, so the client's handshake ends after the count.
/// </summary>
internal sealed class LoopbackBackend : IAsyncDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource stopping = new();
    private readonly Task accepting;
    private int accepted;
    private int bytesSeen;

    public LoopbackBackend()
    {
        listener.Start();
        accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

    /// <summary>Connections that reached this instance and carried bytes.</summary>
    public int Accepted => Volatile.Read(ref accepted);

    /// <summary>Whether every accepted connection delivered at least one byte (the replayed ClientHello).</summary>
    public bool EveryConnectionCarriedBytes => Volatile.Read(ref bytesSeen) == Accepted;

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                Socket socket = await listener.AcceptSocketAsync(stopping.Token);
                _ = ServeAsync(socket);
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (SocketException)
        {
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        using (socket)
        {
            var buffer = new byte[4096];
            int read = 0;
            try
            {
                read = await socket.ReceiveAsync(buffer, SocketFlags.None, stopping.Token);
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException)
            {
            }

            if (read > 0)
            {
                Interlocked.Increment(ref bytesSeen);
            }

            // Counted before the close, so the client's handshake ends only after the count is visible.
            Interlocked.Increment(ref accepted);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        listener.Stop();
        await accepting;
        stopping.Dispose();
    }
}
