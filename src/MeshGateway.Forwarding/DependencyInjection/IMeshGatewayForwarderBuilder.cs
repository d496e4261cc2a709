using Microsoft.Extensions.DependencyInjection;

namespace MeshGateway.Forwarding;

/// <summary>Returned by <c>AddMeshGatewayForwarder</c>: replaces or adds stages in the service collection.</summary>
public interface IMeshGatewayForwarderBuilder
{
    /// <summary>The service collection the forwarder is registered in.</summary>
    IServiceCollection Services { get; }
}
