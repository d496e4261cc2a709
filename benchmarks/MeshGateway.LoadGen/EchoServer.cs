using System.Net.Sockets;

namespace MeshGateway.LoadGen;

/// <summary>The backend: optionally a banner of N bytes, then every byte echoed until the client half-closes.</summary>
internal static class EchoServer
{
    public static async Task<int> RunAsync(LoadOptions options, CancellationToken cancellationToken)
    {
        var endPoint = options.EndPoint("listen");
        int banner = options.Int("banner", 0);
        using var listener = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        listener.Bind(endPoint);
        listener.Listen(4096);
        Console.WriteLine($"echo listening on {listener.LocalEndPoint}");
        try
        {
            while (true)
            {
                Socket client = await listener.AcceptAsync(cancellationToken);
                _ = Task.Run(() => ServeAsync(client, banner, cancellationToken), cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
            return 0;
        }
    }

    private static async Task ServeAsync(Socket client, int banner, CancellationToken cancellationToken)
    {
        using (client)
        {
            client.NoDelay = true;
            byte[] buffer = new byte[64 * 1024];
            try
            {
                if (banner > 0)
                {
                    await client.SendAsync(new byte[banner], SocketFlags.None, cancellationToken);
                }

                while (true)
                {
                    int read = await client.ReceiveAsync(buffer, SocketFlags.None, cancellationToken);
                    if (read == 0)
                    {
                        client.Shutdown(SocketShutdown.Send);
                        return;
                    }

                    await client.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, cancellationToken);
                }
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // A reset or the end of the run: nothing to report from the backend.
            }
        }
    }
}
