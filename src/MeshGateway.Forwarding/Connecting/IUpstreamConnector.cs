using System.Net.Sockets;

namespace MeshGateway.Forwarding;

/// <summary>
/// Connector stage (the dialer seam, like tcpproxy's <c>DialContext</c>): opens the upstream socket. Replace it to
/// dial through a SOCKS proxy, bind a source address, or set socket options. The engine applies the connect
/// timeout through the cancellation token and retries on another endpoint when this throws.
/// </summary>
public interface IUpstreamConnector
{
    /// <summary>Returns a connected stream socket to <paramref name="endpoint"/>.</summary>
    ValueTask<Socket> ConnectAsync(UpstreamEndpoint endpoint, ForwardingContext context, CancellationToken cancellationToken);
}
