using MeshGateway.Naming;

namespace MeshGateway.Forwarding;

/// <summary>
/// Routes a mesh gateway's connections by SNI (Consul spec §4.3) in one MeshGateway.Naming table: service SNIs and local
/// services (exact), then remote gateways (<c>*.&lt;gateway SNI&gt;</c> and the gateway SNI itself). Not-TLS, malformed and
/// unmatched connections get no route. Build it with <see cref="MeshGatewayRouterBuilder"/>.
/// </summary>
public sealed class MeshGatewayRouteResolver : IForwardRouteResolver, IImmediateRouteResolver, INonBlockingStage
{
    private readonly SniRouteTable<ForwardRoute> _table;

    internal MeshGatewayRouteResolver(SniRouteTable<ForwardRoute> table)
    {
        _table = table;
    }

    /// <summary>The exact names served (local services, service SNIs and the remote gateways' own names), in canonical form.</summary>
    public IEnumerable<string> LocalServiceNames => _table.ExactNames;

    /// <summary>The remote-gateway wildcards served (<c>*.dc2.internal.&lt;td&gt;</c>).</summary>
    public IEnumerable<string> RemoteGatewayPatterns => _table.WildcardPatterns;

    /// <inheritdoc/>
    public ValueTask<ForwardRoute?> ResolveAsync(ForwardingContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new ValueTask<ForwardRoute?>(Resolve(context));
    }

    /// <inheritdoc cref="IImmediateRouteResolver.Resolve"/>
    ForwardRoute? IImmediateRouteResolver.Resolve(ForwardingContext context) => Resolve(context);

    private ForwardRoute? Resolve(ForwardingContext context)
    {
        string? serverName = context.SniffStatus == MeshGateway.ClientHello.ClientHelloStatus.Done ? context.ClientHello?.ServerName : null;
        if (string.IsNullOrEmpty(serverName))
        {
            return null;
        }

        return _table.TryLookup(serverName, out ForwardRoute? route) ? route : null;
    }
}
