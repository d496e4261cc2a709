using System.Net;

namespace MeshGateway.Forwarding;

/// <summary>
/// One listener of a composed gateway or sidecar (see <see cref="MeshGatewayRouterBuilder.BuildListeners"/> and
/// <see cref="SidecarBuilder.Build"/>): where it listens, how its connections route, and what to print about it.
/// Start it with <see cref="ForwarderGroup.StartAsync"/>, or make its forwarder with <see cref="CreateForwarderBuilder"/>
/// and host it yourself (a <see cref="ForwarderListener"/>, Kestrel, the generic host).
/// </summary>
public sealed class ListenerPlan
{
    internal ListenerPlan(string description, IPEndPoint endPoint, IForwardRouteResolver routes, bool sniffsClientHello)
    {
        Description = description;
        EndPoint = endPoint;
        Routes = routes;
        SniffsClientHello = sniffsClientHello;
    }

    /// <summary>One line saying what the listener is, e.g. <c>upstream db -> dc2: mode local (from ProxyDefaults), path LocalGateway via 127.0.0.1:8443</c>.</summary>
    public string Description { get; }

    /// <summary>The address to listen on (port 0 asks the system for one).</summary>
    public IPEndPoint EndPoint { get; }

    /// <summary>How the listener's connections route.</summary>
    public IForwardRouteResolver Routes { get; }

    /// <summary>
    /// Whether connections are sniffed for a ClientHello before routing: a mesh gateway routes by SNI; a sidecar's
    /// upstream listener knows its route already and forwards from the first byte (the client's TLS is end to end).
    /// </summary>
    public bool SniffsClientHello { get; }

    /// <summary>A forwarder builder for this listener, to add observers, logging or a time provider, then build.</summary>
    /// <param name="options">The forwarder's options (timeouts, limits); <see langword="null"/> for the defaults.</param>
    /// <returns>The builder, its route resolver set.</returns>
    public TcpForwarderBuilder CreateForwarderBuilder(ForwarderOptions? options = null)
    {
        TcpForwarderBuilder builder = new TcpForwarderBuilder(options).UseRouteResolver(Routes);

        // The one place the composition decides the sniff step; a listener that does not route by SNI skips it.
        return SniffsClientHello ? builder : builder.UseSniffing(false);
    }
}
