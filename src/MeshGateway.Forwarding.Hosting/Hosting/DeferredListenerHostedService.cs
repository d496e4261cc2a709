using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace MeshGateway.Forwarding.Hosting;

/// <summary>
/// Resolves <see cref="MeshGatewayListenerService"/> (and so the forwarder and its options) only when the host starts,
/// after start-up validation has reported every listener and forwarder error at once.
/// </summary>
internal sealed class DeferredListenerHostedService(IServiceProvider services) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) =>
        services.GetRequiredService<MeshGatewayListenerService>().StartAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) =>
        services.GetRequiredService<MeshGatewayListenerService>().StopAsync(cancellationToken);
}
