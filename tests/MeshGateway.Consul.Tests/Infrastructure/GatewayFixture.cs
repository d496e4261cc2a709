using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using MeshGateway.Consul.Gateway;
using MeshGateway.Consul.Watch;
using MeshGateway.Forwarding;
using MeshGateway.Testing.Consul;

namespace MeshGateway.Consul.Tests.Infrastructure;

/// <summary>A mesh gateway in-process on 127.0.0.1, routing with <see cref="ConsulGatewayRoutes"/> over a watcher of a fake agent.</summary>
internal sealed class GatewayFixture : IAsyncDisposable
{
    public const string TrustDomain = "7f42f496-fbc7-8692-05ed-334aa5340c1e.consul";

    private GatewayFixture(ConsulMeshWatcher watcher, ConsulGatewayRoutes routes, TcpForwarder forwarder, ForwarderListener listener)
    {
        Watcher = watcher;
        Routes = routes;
        Forwarder = forwarder;
        Listener = listener;
    }

    public ConsulMeshWatcher Watcher { get; }

    public ConsulGatewayRoutes Routes { get; }

    public TcpForwarder Forwarder { get; }

    public ForwarderListener Listener { get; }

    public static async Task<GatewayFixture> StartAsync(
        FakeConsulAgent agent,
        IEnumerable<ConsulStaticService>? services = null,
        IEnumerable<ConsulStaticRemoteGateway>? remotes = null,
        Microsoft.Extensions.Logging.ILogger<ConsulGatewayRoutes>? logger = null)
    {
        ConsulMeshWatcher watcher = WatcherFixture.Create(agent);
        var routes = new ConsulGatewayRoutes(watcher, staticServices: services, staticRemoteGateways: remotes, logger: logger);
        TcpForwarder forwarder = new TcpForwarderBuilder().UseRouteResolver(routes).Build();
        var listener = new ForwarderListener(forwarder, new IPEndPoint(IPAddress.Loopback, 0));
        listener.Start();
        watcher.Start();
        var fixture = new GatewayFixture(watcher, routes, forwarder, listener);
        await fixture.WaitForRoutesAsync(_ => true);
        return fixture;
    }

    /// <summary>Waits until the watcher's snapshot satisfies <paramref name="condition"/> and the routes were built from it.</summary>
    public async Task WaitForRoutesAsync(Func<ConsulMeshSnapshot, bool> condition)
    {
        ConsulMeshSnapshot snapshot = await Watcher.WaitUntilAsync(s => s.Version > 0 && s.TrustDomain is not null && condition(s));
        using var patience = new CancellationTokenSource(Catalog.Patience);
        await Routes.WaitForAppliedAsync(snapshot.Version, patience.Token);
    }

    /// <summary>
    /// A real TLS client (SslStream) asks for <paramref name="serverName"/> through the gateway. The backends close after
    /// the ClientHello, so the handshake always ends (in an error); this returns when it did.
    /// </summary>
    public async Task DialAsync(string serverName)
    {
        using var client = new TcpClient(AddressFamily.InterNetwork);
        await client.ConnectAsync(Listener.LocalEndPoint!);
        await using var tls = new SslStream(client.GetStream(), leaveInnerStreamOpen: false);
        using var patience = new CancellationTokenSource(Catalog.Patience);
        try
        {
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = serverName }, patience.Token);
        }
        catch (Exception e) when (e is IOException or System.Security.Authentication.AuthenticationException)
        {
            // Expected: the backend (or the gateway, when nothing routes) closed after the ClientHello.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Listener.DisposeAsync();
        await Forwarder.DisposeAsync();
        Routes.Dispose();
        await Watcher.DisposeAsync();
    }
}
