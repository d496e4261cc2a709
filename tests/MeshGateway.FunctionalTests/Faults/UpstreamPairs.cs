using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net.Sockets;
using MeshGateway.Testing;

namespace MeshGateway.FunctionalTests.Faults;

/// <summary>
/// Pairs each client connection with the upstream connection the forwarder opened for it, when many run at once:
/// the client sends a 4-byte id through the forwarder and one accept loop hands each upstream socket to the client
/// that sent its id.
/// </summary>
internal sealed class UpstreamPairs : IDisposable
{
    private readonly ConcurrentDictionary<int, TaskCompletionSource<Socket>> _waiting = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    public UpstreamPairs(Socket listener) => _accepting = AcceptLoopAsync(listener);

    public async Task<Socket> AcceptAsync(Socket client, int id)
    {
        TaskCompletionSource<Socket> pending = Pending(id);
        byte[] tag = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(tag, id);
        await Loopback.SendAllAsync(client, tag);
        Socket upstream = await pending.Task.WaitAsync(TestContext.Current.CancellationToken);
        _waiting.TryRemove(id, out _); // handed over: keep nothing of it (the resource test measures the heap)
        return upstream;
    }

    private TaskCompletionSource<Socket> Pending(int id) =>
        _waiting.GetOrAdd(id, _ => new TaskCompletionSource<Socket>(TaskCreationOptions.RunContinuationsAsynchronously));

    private async Task AcceptLoopAsync(Socket listener)
    {
        try
        {
            while (true)
            {
                Socket upstream = await listener.AcceptAsync(_stop.Token);
                _ = Task.Run(async () =>
                {
                    byte[] tag = await Loopback.ReadExactlyAsync(upstream, 4);
                    Pending(BinaryPrimitives.ReadInt32BigEndian(tag)).SetResult(upstream);
                });
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _stop.Dispose();
    }
}
