using System.Net;
using System.Reflection;
using MeshGateway.Forwarding;
using MeshGateway.Forwarding.AspNetCore;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

/// <summary>
/// One forwarder with the default options and one SNI route to the backend, hosted one of three ways:
/// <c>listener</c> (<see cref="ForwarderListener"/>, what <c>meshgw gateway</c> runs: the engine's own epoll loops on
/// Linux), <c>runtime</c> (the same on the runtime's sockets: the internal
/// <c>TcpForwarderBuilder.UseOwnReadiness = false</c> the functional tests use, set by reflection because nothing
/// public selects it; this is the path every non-Linux platform takes), <c>kestrel</c> (Kestrel connection
/// middleware, <c>UseMeshGatewayForwarding</c>, terminal mode, defaults).
/// </summary>
internal sealed class ForwarderHost : IAsyncDisposable
{
    public const string ServerName = "web.default.dc2.internal.11111111-2222-3333-4444-555555555555.consul";

    private readonly ForwarderListener? _listener;
    private readonly WebApplication? _kestrel;

    private ForwarderHost(TcpForwarder forwarder, EndPoint endPoint, ForwarderListener? listener, WebApplication? kestrel)
    {
        Forwarder = forwarder;
        EndPoint = endPoint;
        _listener = listener;
        _kestrel = kestrel;
    }

    public TcpForwarder Forwarder { get; }

    /// <summary>Where clients connect.</summary>
    public EndPoint EndPoint { get; }

    public static async Task<ForwarderHost> StartAsync(string kind, PumpMode pump, EndPoint backend, IPEndPoint listen)
    {
        var options = new ForwarderOptions { Pump = pump };
        var cluster = new UpstreamClusterOptions();
        cluster.Endpoints.Add(backend.ToString()!);
        options.Clusters["web"] = cluster;
        options.Routes.Add(new ForwardRouteOptions { Sni = ServerName, Cluster = "web" });
        var builder = new TcpForwarderBuilder(options);
        if (kind == "runtime")
        {
            typeof(TcpForwarderBuilder).GetProperty("UseOwnReadiness", BindingFlags.Instance | BindingFlags.NonPublic)!.SetValue(builder, false);
        }

        TcpForwarder forwarder = builder.Build();
        switch (kind)
        {
            case "listener" or "runtime":
                var listener = new ForwarderListener(forwarder, listen);
                listener.Start();
                return new ForwarderHost(forwarder, listener.LocalEndPoint!, listener, kestrel: null);
            case "kestrel":
                WebApplicationBuilder web = WebApplication.CreateSlimBuilder();
                web.Logging.ClearProviders();
                web.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(listen, endpoint => endpoint.UseMeshGatewayForwarding(forwarder)));
                WebApplication app = web.Build();
                await app.StartAsync();
                string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
                return new ForwarderHost(forwarder, new IPEndPoint(listen.Address, new Uri(address).Port), listener: null, app);
            default:
                throw new ArgumentException($"host must be listener, runtime or kestrel, not '{kind}'", nameof(kind));
        }
    }

    /// <summary>Waits until the forwarder holds no connection (every close reported).</summary>
    public async Task WaitIdleAsync()
    {
        while (Forwarder.ActiveConnections > 0)
        {
            await Task.Delay(10);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_kestrel is not null)
        {
            await _kestrel.StopAsync();
            await _kestrel.DisposeAsync();
        }

        if (_listener is not null)
        {
            await _listener.DisposeAsync();
        }

        await Forwarder.DisposeAsync();
    }
}
