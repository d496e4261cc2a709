using System.Net.Sockets;

namespace MeshGateway.LoadGen;

/// <summary>The backend for <see cref="Blast"/>: reads and discards everything, closes after the client's FIN.</summary>
internal static class Sink
{
    public static async Task<int> RunAsync(LoadOptions options, CancellationToken cancellationToken)
    {
        var endPoint = options.EndPoint("listen");
        using var listener = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        listener.Bind(endPoint);
        listener.Listen(4096);
        Console.WriteLine($"sink listening on {listener.LocalEndPoint}");
        try
        {
            while (true)
            {
                Socket client = await listener.AcceptAsync(cancellationToken);
                _ = Task.Run(() => ServeAsync(client, cancellationToken), cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
            return 0;
        }
    }

    private static async Task ServeAsync(Socket client, CancellationToken cancellationToken)
    {
        using (client)
        {
            byte[] buffer = new byte[256 * 1024];
            try
            {
                while (await client.ReceiveAsync(buffer, SocketFlags.None, cancellationToken) > 0)
                {
                }

                client.Shutdown(SocketShutdown.Send);
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // A reset or the end of the run.
            }
        }
    }
}
