using System.Net;
using System.Net.Sockets;

namespace MeshGateway.Forwarding;

/// <summary>
/// The standalone accept loop: binds a TCP end point and hands every accepted socket to a
/// <see cref="TcpForwarder"/>. <see cref="StopAsync"/> stops accepting and drains the forwarder.
/// </summary>
public sealed class ForwarderListener : IAsyncDisposable
{
    private readonly TcpForwarder _forwarder;
    private readonly Socket _socket;
    private readonly CancellationTokenSource _stopping = new();
    private Task _acceptLoop = Task.CompletedTask;
    private int _stopped;

    /// <summary>Creates a listener for <paramref name="endPoint"/> (port 0 picks a free port; see <see cref="LocalEndPoint"/>).</summary>
    public ForwarderListener(TcpForwarder forwarder, IPEndPoint endPoint)
    {
        ArgumentNullException.ThrowIfNull(forwarder);
        ArgumentNullException.ThrowIfNull(endPoint);
        _forwarder = forwarder;
        _socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        EndPoint = endPoint;
    }

    /// <summary>The end point asked for.</summary>
    public IPEndPoint EndPoint { get; }

    /// <summary>The bound end point once <see cref="Start"/> has run (with the real port when 0 was asked).</summary>
    public IPEndPoint? LocalEndPoint => _socket.IsBound ? (IPEndPoint?)_socket.LocalEndPoint : null;

    /// <summary>Binds, listens and starts accepting. Throws <see cref="SocketException"/> when the address cannot be bound.</summary>
    /// <param name="backlog">The listen backlog.</param>
    public void Start(int backlog = 512)
    {
        _socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        _socket.Bind(EndPoint);
        _socket.Listen(backlog);
        ForwarderLog.Listening(_forwarder.Stages.Logger, _socket.LocalEndPoint);
        _acceptLoop = AcceptLoopAsync();
    }

    /// <summary>Stops accepting, then drains the forwarder (see <see cref="TcpForwarder.DrainAsync(CancellationToken)"/>).</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
        {
            return;
        }

        _stopping.Cancel();
        _socket.Dispose();

        // DrainAsync marks the forwarder as draining before it first yields, so a socket accepted in this
        // window is refused with Drained rather than slipping through.
        Task drain = _forwarder.DrainAsync(cancellationToken);
        await _acceptLoop.ConfigureAwait(false);
        await drain.ConfigureAwait(false);
    }

    /// <summary>Stops (draining) and releases the socket.</summary>
    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        CancellationToken stopping = _stopping.Token;
        while (!stopping.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _socket.AcceptAsync(stopping).ConfigureAwait(false);
            }
            catch (Exception) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException error) when (error.SocketErrorCode is SocketError.ConnectionAborted or SocketError.ConnectionReset)
            {
                // The client gave up while queued; keep accepting.
                continue;
            }
            catch (Exception error) when (error is SocketException or ObjectDisposedException)
            {
                ForwarderLog.AcceptFailed(_forwarder.Stages.Logger, EndPoint, error);
                return;
            }

            // The forwarder tracks the connection (drain waits for it) and never throws for network conditions.
            _ = _forwarder.ForwardAsync(client);
        }
    }
}
