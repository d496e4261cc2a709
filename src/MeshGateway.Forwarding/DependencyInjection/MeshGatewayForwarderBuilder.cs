using Microsoft.Extensions.DependencyInjection;

namespace MeshGateway.Forwarding;

internal sealed class MeshGatewayForwarderBuilder(IServiceCollection services) : IMeshGatewayForwarderBuilder
{
    public IServiceCollection Services { get; } = services;
}
