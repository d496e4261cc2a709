using MeshGateway.ClientHello;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;

namespace MeshGateway.Forwarding.AspNetCore;

/// <summary>
/// The Kestrel connection middleware: in terminal mode hands every connection to the forwarder (which sniffs); in
/// mixed mode sniffs the ClientHello once, under the forwarder's own limits (<see cref="ForwarderOptions.MaxClientHelloBytes"/>
/// wire bytes, <see cref="ForwarderOptions.SniffTimeout"/>), and forwards what <see cref="KestrelForwardingOptions.ForwardWhen"/>
/// accepts together with that hello, so the engine does not parse it again; the rest (every byte still unread)
/// goes to the next middleware.
/// </summary>
internal sealed class ForwardingConnectionMiddleware
{
    private readonly ConnectionDelegate _next;
    private readonly Func<TcpForwarder> _forwarder;
    private readonly Func<SniffedClientHello, bool>? _forwardWhen;
    private readonly bool _halfCloseThroughSocket;

    public ForwardingConnectionMiddleware(ConnectionDelegate next, Func<TcpForwarder> forwarder, KestrelForwardingOptions options)
    {
        _next = next;
        _forwarder = forwarder;
        _forwardWhen = options.ForwardWhen;
        _halfCloseThroughSocket = options.HalfCloseThroughSocket;
    }

    public async Task OnConnectionAsync(ConnectionContext connection)
    {
        TcpForwarder forwarder = _forwarder();
        SniffedClientHello? hello = null;
        if (_forwardWhen is not null)
        {
            hello = await PeekAsync(forwarder, connection).ConfigureAwait(false);
            if (hello is null || !_forwardWhen(hello))
            {
                await _next(connection).ConfigureAwait(false);
                return;
            }
        }

        if (_halfCloseThroughSocket && connection.Features.Get<IConnectionSocketFeature>()?.Socket is { } socket)
        {
            await forwarder.ForwardAsync(connection.Transport.Input, socket, hello, default).ConfigureAwait(false);
        }
        else
        {
            await forwarder.ForwardAsync(connection.Transport, connection.LocalEndPoint, connection.RemoteEndPoint, hello, default).ConfigureAwait(false);
        }
    }

    /// <summary>The hello when one was read whole within the forwarder's limits; null otherwise.</summary>
    private static async ValueTask<SniffedClientHello?> PeekAsync(TcpForwarder forwarder, ConnectionContext connection)
    {
        // Not linked to ConnectionClosed: Kestrel fires it on the client's FIN, and a hello followed by a FIN is
        // still a hello. The end of input is seen by the read itself.
        ForwarderSettings settings = forwarder.Settings;
        ClientHelloParserOptions parserOptions = forwarder.Stages.ParserOptions ?? ClientHelloSniff.ParserOptionsFor(settings.MaxClientHelloBytes);
        using var deadline = new CancellationTokenSource(settings.SniffTimeout, forwarder.Stages.TimeProvider);
        (ClientHelloStatus status, SniffedClientHello? hello) = await ClientHelloPeek.PeekAsync(
            connection.Transport.Input, settings.MaxClientHelloBytes, parserOptions, deadline.Token).ConfigureAwait(false);
        return status == ClientHelloStatus.Done ? hello : null;
    }
}
