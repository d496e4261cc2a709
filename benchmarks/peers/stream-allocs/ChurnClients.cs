using System.Net;
using System.Net.Sockets;

/// <summary>
/// What <c>loadgen churn</c> does against the C sink (<c>-n</c>): 8 loops of connect, send the ClientHello, read
/// the 1-byte answer, close.
/// </summary>
internal static class ChurnClients
{
    public static Task RunAsync(EndPoint target, byte[] hello, int connections) =>
        Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => LoopAsync(target, hello, connections / 8))));

    private static async Task LoopAsync(EndPoint target, byte[] hello, int count)
    {
        byte[] answer = new byte[1];
        for (int i = 0; i < count; i++)
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await socket.ConnectAsync(target);
            await socket.SendAsync(hello, SocketFlags.None);
            if (await socket.ReceiveAsync(answer, SocketFlags.None) != 1)
            {
                throw new EndOfStreamException("no answer from the sink");
            }
        }
    }
}
