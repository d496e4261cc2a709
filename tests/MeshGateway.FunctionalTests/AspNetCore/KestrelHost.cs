using System.Net;
using MeshGateway.Forwarding;
using MeshGateway.FunctionalTests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MeshGateway.FunctionalTests.AspNetCore;

/// <summary>A real Kestrel server on 127.0.0.1:0 with one endpoint configured by the test, and an app that answers "/".</summary>
internal sealed class KestrelHost : IAsyncDisposable
{
    public const string AppReply = "hello from the ASP.NET Core app";

    private readonly WebApplication _app;

    private KestrelHost(WebApplication app, IPEndPoint endPoint)
    {
        _app = app;
        EndPoint = endPoint;
    }

    public IPEndPoint EndPoint { get; }

    public static async Task<KestrelHost> StartAsync(Action<ListenOptions> configureEndpoint, Action<IServiceCollection>? configureServices = null)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        configureServices?.Invoke(builder.Services);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, configureEndpoint));
        WebApplication app = builder.Build();
        app.MapGet("/", () => AppReply);
        await app.StartAsync(TestContext.Current.CancellationToken);
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new KestrelHost(app, new IPEndPoint(IPAddress.Loopback, new Uri(address).Port));
    }

    /// <summary>A forwarder that sends every SNI (and no SNI) to <paramref name="upstream"/>.</summary>
    public static TcpForwarder PassthroughForwarder(EndPoint upstream, RecordingObserver observer)
    {
        var options = new ForwarderOptions();
        var cluster = new UpstreamClusterOptions();
        cluster.Endpoints.Add(upstream.ToString()!);
        options.Clusters["upstream"] = cluster;
        options.Routes.Add(new ForwardRouteOptions { Sni = "*", Cluster = "upstream" });
        return new TcpForwarderBuilder(options).AddObserver(observer).Build();
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }
}
