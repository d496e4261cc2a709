using MeshGateway.ClientHello;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;

namespace MeshGateway.Forwarding.AspNetCore;

/// <summary>
/// The Kestrel connection middleware: in terminal mode hands every connection to the forwarder; in mixed mode
/// peeks at the ClientHello first and forwards only what <see cref="KestrelForwardingOptions.ForwardWhen"/>
/// accepts, passing the rest (every byte still unread) to the next middleware.
/// </summary>
internal sealed class ForwardingConnectionMiddleware
{
    private readonly ConnectionDelegate _next;
    private readonly Func<TcpForwarder> _forwarder;
    private readonly Func<SniffedClientHello, bool>? _forwardWhen;
    private readonly TimeSpan _clientHelloTimeout;
    private readonly bool _halfCloseThroughSocket;
    private readonly ClientHelloParserOptions _parserOptions;

    public ForwardingConnectionMiddleware(ConnectionDelegate next, Func<TcpForwarder> forwarder, KestrelForwardingOptions options)
    {
        _next = next;
        _forwarder = forwarder;
        _forwardWhen = options.ForwardWhen;
        _clientHelloTimeout = options.ClientHelloTimeout;
        _halfCloseThroughSocket = options.HalfCloseThroughSocket;
        _parserOptions = new ClientHelloParserOptions(maxHandshakeLength: options.MaxClientHelloBytes);
    }

    public async Task OnConnectionAsync(ConnectionContext connection)
    {
        if (_forwardWhen is not null && !await ShouldForwardAsync(connection).ConfigureAwait(false))
        {
            await _next(connection).ConfigureAwait(false);
            return;
        }

        TcpForwarder forwarder = _forwarder();
        if (_halfCloseThroughSocket && connection.Features.Get<IConnectionSocketFeature>()?.Socket is { } socket)
        {
            await forwarder.ForwardAsync(connection.Transport.Input, socket).ConfigureAwait(false);
        }
        else
        {
            await forwarder.ForwardAsync(connection.Transport, connection.LocalEndPoint, connection.RemoteEndPoint).ConfigureAwait(false);
        }
    }

    private async ValueTask<bool> ShouldForwardAsync(ConnectionContext connection)
    {
        // Not linked to ConnectionClosed: Kestrel fires it on the client's FIN, and a hello followed by a FIN is
        // still a hello. The end of input is seen by the read itself.
        using var deadline = new CancellationTokenSource(_clientHelloTimeout);
        (PeekStatus status, SniffedClientHello? hello) = await ClientHelloPeek.PeekAsync(connection.Transport.Input, _parserOptions, deadline.Token).ConfigureAwait(false);
        return status == PeekStatus.Complete && _forwardWhen!(hello!);
    }
}
