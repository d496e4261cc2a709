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

    private KestrelHost(WebApplication app, IReadOnlyList<IPEndPoint> endPoints)
    {
        _app = app;
        EndPoints = endPoints;
    }

    /// <summary>The first endpoint's address.</summary>
    public IPEndPoint EndPoint => EndPoints[0];

    /// <summary>Every endpoint's address, in the order they were configured.</summary>
    public IReadOnlyList<IPEndPoint> EndPoints { get; }

    public static async Task<KestrelHost> StartAsync(
        Action<ListenOptions> configureEndpoint, Action<IServiceCollection>? configureServices = null, Action<ListenOptions>? secondEndpoint = null)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        configureServices?.Invoke(builder.Services);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, 0, configureEndpoint);
            if (secondEndpoint is not null)
            {
                kestrel.Listen(IPAddress.Loopback, 0, secondEndpoint);
            }
        });
        WebApplication app = builder.Build();
        app.MapGet("/", () => AppReply);
        await app.StartAsync(TestContext.Current.CancellationToken);
        ICollection<string> addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        return new KestrelHost(app, [.. addresses.Select(a => new IPEndPoint(IPAddress.Loopback, new Uri(a).Port))]);
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

    /// <summary>The application's services (the host's lifetime, options and registered forwarder).</summary>
    public IServiceProvider Services => _app.Services;

    /// <summary>Stops the host as a shutdown signal does; <see cref="DisposeAsync"/> after it is harmless.</summary>
    public Task StopAsync() => _app.StopAsync(CancellationToken.None);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }
}
