using System.Net;
using System.Net.Sockets;

/// <summary>
/// What <c>loadgen churn</c> does against the C sink (<c>-n</c>): 8 loops of connect, send the ClientHello, read
/// the 1-byte answer, close. A connection that ends or fails before the answer is counted, not thrown: the result is
/// how many did.
/// </summary>
internal static class ChurnClients
{
    public static async Task<int> RunAsync(EndPoint target, byte[] hello, int connections)
    {
        int[] failures = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => LoopAsync(target, hello, connections / 8))));
        return failures.Sum();
    }

    private static async Task<int> LoopAsync(EndPoint target, byte[] hello, int count)
    {
        byte[] answer = new byte[1];
        int failures = 0;
        for (int i = 0; i < count; i++)
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(target);
                await socket.SendAsync(hello, SocketFlags.None);
                if (await socket.ReceiveAsync(answer, SocketFlags.None) != 1)
                {
                    failures++;
                }
            }
            catch (SocketException)
            {
                failures++;
            }
        }

        return failures;
    }
}
