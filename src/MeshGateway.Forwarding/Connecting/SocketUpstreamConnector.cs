using System.Net;
using System.Net.Sockets;

namespace MeshGateway.Forwarding;

/// <summary>The default connector: a plain TCP connect with <c>NoDelay</c> on.</summary>
public sealed class SocketUpstreamConnector : IUpstreamConnector, INonBlockingStage
{
    /// <summary>The shared instance.</summary>
    public static SocketUpstreamConnector Instance { get; } = new();

    /// <inheritdoc/>
    public async ValueTask<Socket> ConnectAsync(UpstreamEndpoint endpoint, ForwardingContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        Socket socket = endpoint.EndPoint is IPEndPoint ip
            ? new Socket(ip.AddressFamily, SocketType.Stream, ProtocolType.Tcp)
            : new Socket(SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.NoDelay = true;
            await socket.ConnectAsync(endpoint.EndPoint, cancellationToken).ConfigureAwait(false);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
