using System.ComponentModel.DataAnnotations;

namespace MeshGateway.Forwarding;

/// <summary>One cluster of the built-in resolver.</summary>
public sealed class UpstreamClusterOptions
{
    /// <summary>Endpoints as <c>HOST:PORT</c>.</summary>
    [Required]
    public IList<string> Endpoints { get; } = [];

    /// <summary>How an endpoint is chosen. Default <see cref="LoadBalancingPolicy.PowerOfTwoChoices"/>.</summary>
    public LoadBalancingPolicy LoadBalancing { get; set; } = LoadBalancingPolicy.PowerOfTwoChoices;

    /// <summary>PROXY protocol header sent before the ClientHello. Default <see cref="ProxyProtocolVersion.None"/>.</summary>
    public ProxyProtocolVersion ProxyProtocol { get; set; } = ProxyProtocolVersion.None;
}
