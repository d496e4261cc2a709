using System.Text;
using MeshGateway.Forwarding;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace MeshGateway.Modes.Tests.Options;

/// <summary>A real generic host: options bound from appsettings-style JSON, validated when the host starts.</summary>
public class HostStartupValidationTests
{
    private static IHost BuildHost(string json)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(json)));
        builder.Services.AddMeshGatewayModes().BindConfiguration(MeshGatewayModeOptions.SectionName);
        return builder.Build();
    }

    [Fact]
    public async Task Valid_settings_start_and_resolve()
    {
        using IHost host = BuildHost("""
            { "MeshGateway": { "Modes": { "ProxyDefaults": "local", "Upstreams": { "db": { "Datacenter": "dc2" } } } } }
            """);

        await host.StartAsync(TestContext.Current.CancellationToken);
        var settings = host.Services.GetRequiredService<MeshGatewayModeSettings>();
        await host.StopAsync(TestContext.Current.CancellationToken);

        Assert.True(settings.TryResolve("db", out var resolution));
        Assert.Equal(new MeshGatewayResolution(MeshGatewayMode.Local, MeshGatewayModeSource.ProxyDefaults, DialPath.LocalGateway, false), resolution);
    }

    [Fact]
    public async Task Invalid_settings_stop_the_host_at_start_with_every_error()
    {
        using IHost host = BuildHost("""
            { "MeshGateway": { "Modes": { "ProxyDefaults": "Local", "Upstreams": { "db": { "Mode": "default" } } } } }
            """);

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        Assert.Equal(
            [
                "MeshGateway:Modes:ProxyDefaults: Invalid Mesh Gateway Mode: \"Local\"",
                "MeshGateway:Modes:Upstreams:db:Mode: Invalid Mesh Gateway Mode: \"default\"",
            ],
            error.Failures);
    }

    [Fact]
    public void Registering_twice_adds_the_validator_once()
    {
        var services = new ServiceCollection();
        services.AddMeshGatewayModes();
        services.AddMeshGatewayModes();

        Assert.Single(services, d => d.ServiceType == typeof(IValidateOptions<MeshGatewayModeOptions>));
        Assert.Single(services, d => d.ServiceType == typeof(MeshGatewayModeSettings));
    }
}
