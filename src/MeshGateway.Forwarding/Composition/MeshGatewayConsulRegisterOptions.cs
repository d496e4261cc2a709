namespace MeshGateway.Forwarding;

/// <summary>
/// The gateway's registration with its Consul agent as <c>kind = "mesh-gateway"</c> while it runs (what
/// <c>meshgw gateway --register</c> does), so that other datacenters' gateways find it; it deregisters when it drains.
/// </summary>
public sealed class MeshGatewayConsulRegisterOptions
{
    /// <summary>Whether to register. Default <see langword="false"/>.</summary>
    public bool Enabled { get; init; }

    /// <summary>The registered service name; <see langword="null"/> for <c>mesh-gateway</c>, what other gateways query.</summary>
    public string? Name { get; init; }

    /// <summary>The registered (<c>lan</c>) address; <see langword="null"/> for the first listener's host, which must then be a specific address.</summary>
    public string? Address { get; init; }

    /// <summary>The <c>wan</c> tagged address other datacenters dial, <c>HOST[:PORT]</c>; <see langword="null"/> for the registered address and port.</summary>
    public string? WanAddress { get; init; }
}
