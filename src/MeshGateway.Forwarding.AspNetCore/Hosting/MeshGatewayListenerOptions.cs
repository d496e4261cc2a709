namespace MeshGateway.Forwarding.AspNetCore;

/// <summary>
/// Where <see cref="MeshGatewayListenerService"/> listens: the <c>Listeners</c> key of the <c>MeshGateway</c>
/// configuration section, a list of <c>IP:PORT</c> (port 0 picks a free port).
/// </summary>
public sealed class MeshGatewayListenerOptions
{
    /// <summary>The addresses to listen on, as <c>IP:PORT</c>; at least one.</summary>
    public IList<string> Listeners { get; } = [];
}
