// The same gateway `meshgw run` runs, in a .NET generic host: the MeshGateway section of appsettings.json takes the
// keys of a `meshgw run` file (any case). Edit the file while it runs: services, remote gateways, timeouts and limits
// reload for new connections; a bad edit is logged with every error and the running configuration stays.
#pragma warning disable CA2007 // A console app has no SynchronizationContext.
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

HostApplicationBuilder builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.Services.AddMeshGateway(builder.Configuration.GetSection("MeshGateway"));
using IHost host = builder.Build();

// Ctrl+C or SIGTERM stops accepting and drains open connections within timeouts.drain; --once starts, then stops.
if (args is ["--once"])
{
    await host.StartAsync();
    await host.StopAsync();
}
else
{
    await host.RunAsync();
}
