using System.Net;
using MeshGateway.Forwarding;
using Microsoft.Extensions.Logging;

namespace MeshGateway.Cli.Commands.Gateway;

/// <summary>
/// How <see cref="GatewayRunner"/> runs a composition: what <c>meshgw gateway</c>'s flags and <c>meshgw run</c>'s
/// file add beyond the composition itself (the pump, the connection log, a live route source, the registration hooks).
/// </summary>
internal sealed record GatewayRunOptions
{
    /// <summary>How bytes move once streaming (<c>--pump</c>).</summary>
    public PumpMode Pump { get; init; } = PumpMode.Auto;

    /// <summary>Whether one line is written per closed connection (<c>--no-connection-log</c> turns it off).</summary>
    public bool ConnectionLog { get; init; } = true;

    /// <summary>The forwarders' logging; none when null.</summary>
    public ILoggerFactory? LoggerFactory { get; init; }

    /// <summary>
    /// Routes that replace the composition's on every listener (a Consul agent's live table,
    /// <see cref="ConsulGatewaySource"/>); null to route as composed.
    /// </summary>
    public IForwardRouteResolver? Routes { get; init; }

    /// <summary>Runs once every listener is bound, with the first one's address; false stops the gateway (exit 1).</summary>
    public Func<IPEndPoint, Task<bool>>? Listening { get; init; }

    /// <summary>Runs when the drain starts, before the listeners stop accepting (the registration's deregister).</summary>
    public Func<Task>? Draining { get; init; }

    /// <summary>
    /// Whether the ready line names what each listener serves and the route lines follow (<c>meshgw run</c>); without
    /// it the ready line is the bare address, <c>listening on HOST:PORT</c>, as <c>meshgw gateway</c> documents.
    /// </summary>
    public bool Describe { get; init; } = true;
}
