using System.IO.Pipelines;
using System.Net.Sockets;

namespace MeshGateway.Forwarding;

public sealed partial class TcpForwarder
{
    /// <summary>
    /// Forwards a client whose bytes a host has been reading into <paramref name="clientInput"/> (for example
    /// Kestrel's <c>Transport.Input</c>, with a peeked ClientHello still in it) while replies are written
    /// straight to the host's <paramref name="clientSocket"/>. Unlike
    /// <see cref="ForwardAsync(IDuplexPipe, System.Net.EndPoint?, System.Net.EndPoint?, CancellationToken)"/>,
    /// a half-close towards the client is a real FIN (<c>shutdown(SHUT_WR)</c>) and the client can keep sending.
    /// Nothing else may write to the socket meanwhile; the host keeps owning it and closes it afterwards.
    /// </summary>
    /// <param name="clientInput">The bytes received from the client, from the first one.</param>
    /// <param name="clientSocket">The client's connected socket, used for sending only.</param>
    /// <param name="cancellationToken">Aborts the connection (closed with <see cref="CloseCause.Canceled"/>).</param>
    /// <returns>How the connection ended; the task never faults for network conditions.</returns>
    public Task<ForwardingResult> ForwardAsync(PipeReader clientInput, Socket clientSocket, CancellationToken cancellationToken = default) =>
        ForwardAsync(clientInput, clientSocket, sniffed: null, cancellationToken);

    /// <summary>
    /// As <see cref="ForwardAsync(PipeReader, Socket, CancellationToken)"/> for a client whose ClientHello the host
    /// already sniffed (its bytes still unread in <paramref name="clientInput"/>): the engine routes on
    /// <paramref name="sniffed"/> instead of parsing the hello again.
    /// </summary>
    internal Task<ForwardingResult> ForwardAsync(PipeReader clientInput, Socket clientSocket, SniffedClientHello? sniffed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(clientInput);
        ArgumentNullException.ThrowIfNull(clientSocket);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        long id = Interlocked.Increment(ref _nextConnectionId);
        System.Net.EndPoint? local = null;
        System.Net.EndPoint? remote = null;
        try
        {
            local = clientSocket.LocalEndPoint;
            remote = clientSocket.RemoteEndPoint;
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Reset before we got here: the engine reports it on the first send or receive.
        }

        return Run(new ForwardedConnection(this, new PipeSocketConnectionSide(clientInput, clientSocket), local, remote, id, cancellationToken) { Sniffed = sniffed });
    }
}
