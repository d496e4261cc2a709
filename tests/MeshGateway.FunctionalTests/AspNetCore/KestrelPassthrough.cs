using System.Net.Sockets;
using MeshGateway.Forwarding;
using MeshGateway.Forwarding.AspNetCore;
using MeshGateway.FunctionalTests.Infrastructure;
using MeshGateway.Testing;

namespace MeshGateway.FunctionalTests.AspNetCore;

/// <summary>
/// Kestrel on 127.0.0.1:0 forwarding every connection, whatever its SNI, to one upstream listener on loopback,
/// with a recording observer: the setup every half-close test shares.
/// </summary>
internal sealed class KestrelPassthrough : IAsyncDisposable
{
    private KestrelPassthrough(Socket upstreamListener, RecordingObserver observer, TcpForwarder forwarder, KestrelHost kestrel)
    {
        UpstreamListener = upstreamListener;
        Observer = observer;
        Forwarder = forwarder;
        Kestrel = kestrel;
    }

    public Socket UpstreamListener { get; }

    public RecordingObserver Observer { get; }

    public TcpForwarder Forwarder { get; }

    public KestrelHost Kestrel { get; }

    /// <summary>Starts the upstream listener, the forwarder and Kestrel (<paramref name="configure"/> sets the middleware's options).</summary>
    public static async Task<KestrelPassthrough> StartAsync(Action<KestrelForwardingOptions>? configure = null)
    {
        Socket upstreamListener = Loopback.Listen();
        var observer = new RecordingObserver();
        TcpForwarder forwarder = KestrelHost.PassthroughForwarder(upstreamListener.LocalEndPoint!, observer);
        try
        {
            KestrelHost kestrel = await KestrelHost.StartAsync(listen => listen.UseMeshGatewayForwarding(forwarder, configure));
            return new KestrelPassthrough(upstreamListener, observer, forwarder, kestrel);
        }
        catch
        {
            await forwarder.DisposeAsync();
            upstreamListener.Dispose();
            throw;
        }
    }

    /// <summary>A client connected to Kestrel.</summary>
    public Task<Socket> ConnectAsync() => Loopback.ConnectAsync(Kestrel.EndPoint);

    /// <summary>The forwarder's connection to the upstream.</summary>
    public ValueTask<Socket> AcceptUpstreamAsync() => UpstreamListener.AcceptAsync(TestContext.Current.CancellationToken);

    /// <summary>Stops Kestrel first (its connections end), then the forwarder, then the upstream listener.</summary>
    public async ValueTask DisposeAsync()
    {
        await Kestrel.DisposeAsync();
        await Forwarder.DisposeAsync();
        UpstreamListener.Dispose();
    }
}
