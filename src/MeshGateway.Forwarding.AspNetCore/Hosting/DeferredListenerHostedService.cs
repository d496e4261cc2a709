using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace MeshGateway.Forwarding.AspNetCore;

/// <summary>
/// The registered hosted service. The host creates every hosted service before it runs options validation, so
/// the forwarder (whose build validates too, but throws only the first failing options type) is resolved only in
/// <see cref="StartAsync"/>, after <c>ValidateOnStart</c> reported every error of every options type at once.
/// </summary>
internal sealed class DeferredListenerHostedService(IServiceProvider services) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) =>
        services.GetRequiredService<MeshGatewayListenerService>().StartAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) =>
        services.GetRequiredService<MeshGatewayListenerService>().StopAsync(cancellationToken);
}
