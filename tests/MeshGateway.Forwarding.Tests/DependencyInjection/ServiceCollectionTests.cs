using MeshGateway.Forwarding;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace MeshGateway.Forwarding.Tests.DependencyInjection;

public class ServiceCollectionTests
{
    [Fact]
    public async Task Invalid_options_fail_host_start_with_every_error()
    {
        HostApplicationBuilder builder = Host.CreateApplicationBuilder();
        builder.Services.AddMeshGatewayForwarder(o =>
        {
            o.MaxConnectAttempts = 0;
            o.NoRouteCluster = "missing";
        });
        using IHost host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        Assert.Equal(2, error.Failures.Count());
    }

    [Fact]
    public async Task Registered_stages_are_used_by_the_forwarder()
    {
        var services = new ServiceCollection();
        services.AddMeshGatewayForwarder(o => o.MaxConnections = 5)
            .AddObserver<CountingObserver>()
            .UseRouteResolver(new StaticRouteResolver(new ForwardRoute("r", new UpstreamCluster("c", []))));
        await using ServiceProvider provider = services.BuildServiceProvider();

        TcpForwarder forwarder = provider.GetRequiredService<TcpForwarder>();

        Assert.IsType<StaticRouteResolver>(forwarder.Stages.RouteResolver);
        Assert.IsType<CountingObserver>(Assert.Single(forwarder.Stages.Observers));
        Assert.NotNull(forwarder.Stages.ParserOptions);
        Assert.Equal(5, forwarder.Settings.MaxConnections);
    }

    private sealed class CountingObserver : IForwarderObserver
    {
    }
}
