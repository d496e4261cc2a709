using System.Buffers;
using Microsoft.Extensions.Logging;

namespace MeshGateway.Forwarding;

/// <summary>
/// The stage implementations one forwarder runs, fixed when it is built. <see cref="ParserOptions"/> null: no
/// sniff (routes see no ClientHello and no bytes are held).
/// </summary>
/// <remarks>
/// <see cref="Filters"/> and <see cref="Observers"/> are arrays (never changed after the build): a <c>foreach</c> over
/// them is an index loop, where one over an <c>IReadOnlyList</c> dispatches through interfaces and makes an enumerator
/// per connection for every stage it calls.
/// </remarks>
internal sealed record ForwarderStages(
    IConnectionFilter[] Filters,
    MeshGateway.ClientHello.ClientHelloParserOptions? ParserOptions,
    IForwardRouteResolver RouteResolver,
    IUpstreamConnector Connector,
    IForwarderObserver[] Observers,
    TimeProvider TimeProvider,
    ILogger Logger,
    ForwarderMetrics Metrics)
{
    /// <summary>
    /// Dials an upstream as a ready-made <see cref="ConnectionSide"/> instead of through <see cref="Connector"/>
    /// (the engine tests' in-memory upstreams); null in production.
    /// </summary>
    public Func<UpstreamEndpoint, CancellationToken, ValueTask<ConnectionSide>>? UpstreamTransport { get; init; }

    /// <summary>
    /// Where the engine rents its sniff, replay and pump buffers: <see cref="ArrayPool{T}.Shared"/> in production,
    /// a counting pool in the engine tests (which prove what is rented when, and that all of it comes back).
    /// </summary>
    public ArrayPool<byte> Buffers { get; init; } = ArrayPool<byte>.Shared;

    /// <summary>The connect-timeout sources the engine's own dials reuse.</summary>
    public DialTimeouts DialTimeouts { get; } = new(TimeProvider);

    /// <summary>
    /// True when every filter, observer, the route resolver and the connector are <see cref="INonBlockingStage"/>s:
    /// a connection may then start, and run to its end, on the readiness loop that accepted it (see
    /// <see cref="EpollReadiness"/>). A route set replaced later and the route's selector are checked per connection.
    /// </summary>
    public bool RunsOnLoop { get; } =
        Filters.All(static f => f is INonBlockingStage)
        && Observers.All(static o => o is INonBlockingStage)
        && RouteResolver is INonBlockingStage
        && Connector is INonBlockingStage;
}
