using System.Net.Sockets;
using MeshGateway.Forwarding;
using MeshGateway.Testing;

namespace MeshGateway.FunctionalTests.Forwarding;

/// <summary>
/// The copy pump's socket operation: data, end of stream, a peer's reset and a teardown's abort all come back as
/// results, never as exceptions (real loopback sockets).
/// </summary>
public class SocketPumpOperationTests
{
    [Fact]
    public async Task Receive_then_send_move_the_bytes_and_end_of_stream_reads_zero()
    {
        (Socket near, Socket far) = await PairAsync();
        using (near)
        using (far)
        using (var operation = new SocketPumpOperation())
        {
            Assert.True(await operation.SendAllAsync(near, "ping"u8.ToArray()));
            Assert.Equal("ping"u8.ToArray(), await Loopback.ReadExactlyAsync(far, 4));

            await Loopback.SendAllAsync(far, "pong"u8.ToArray());
            byte[] buffer = new byte[16];
            Assert.Equal(0, await operation.ReceiveAsync(near, Memory<byte>.Empty)); // zero-byte read: data is ready
            Assert.Equal(4, await operation.ReceiveAsync(near, buffer));
            Assert.Equal("pong"u8.ToArray(), buffer[..4]);

            far.Shutdown(SocketShutdown.Send);
            Assert.Equal(0, await operation.ReceiveAsync(near, buffer));
            Assert.Equal(SocketError.Success, operation.Error);
        }
    }

    [Fact]
    public async Task Peer_reset_during_a_pending_receive_is_reported_as_ConnectionReset_without_throwing()
    {
        (Socket near, Socket far) = await PairAsync();
        using (near)
        using (var operation = new SocketPumpOperation())
        {
            ValueTask<int> pending = operation.ReceiveAsync(near, new byte[16]);
            Assert.False(pending.IsCompleted);

            far.LingerState = new LingerOption(true, 0);
            far.Dispose(); // RST

            Assert.Equal(-1, await pending);
            Assert.Equal(SocketError.ConnectionReset, operation.Error);
        }
    }

    [Fact]
    public async Task Teardown_of_the_socket_under_a_pending_receive_is_reported_as_OperationAborted_without_throwing()
    {
        (Socket near, Socket far) = await PairAsync();
        using (far)
        using (var operation = new SocketPumpOperation())
        {
            ValueTask<int> pending = operation.ReceiveAsync(near, new byte[16]);
            Assert.False(pending.IsCompleted);

            near.Dispose();

            Assert.Equal(-1, await pending);
            Assert.Equal(SocketError.OperationAborted, operation.Error);
            Assert.Equal(-1, await operation.ReceiveAsync(near, new byte[16])); // and after it, too
        }
    }

    private static async Task<(Socket Near, Socket Far)> PairAsync()
    {
        using Socket listener = Loopback.Listen();
        Socket near = await Loopback.ConnectAsync(listener.LocalEndPoint!);
        Socket far = await listener.AcceptAsync(TestContext.Current.CancellationToken);
        return (near, far);
    }
}
