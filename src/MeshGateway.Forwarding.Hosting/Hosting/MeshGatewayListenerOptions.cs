namespace MeshGateway.Forwarding.Hosting;

/// <summary>Where <see cref="MeshGatewayListenerService"/> listens: the <c>Listeners</c> of the configuration section.</summary>
public sealed class MeshGatewayListenerOptions
{
    /// <summary>The addresses, each <c>IP:PORT</c> (port 0 asks the system for one). Read at start: a change needs a restart.</summary>
    public IList<string> Listeners { get; } = [];
}
