using Microsoft.Extensions.Logging;

namespace MeshGateway.Forwarding;

/// <summary>The stage implementations one forwarder runs, fixed when it is built.</summary>
internal sealed record ForwarderStages(
    IReadOnlyList<IConnectionFilter> Filters,
    IClientHelloInspector? Inspector,
    IForwardRouteResolver RouteResolver,
    IUpstreamConnector Connector,
    IReadOnlyList<IForwarderObserver> Observers,
    TimeProvider TimeProvider,
    ILogger Logger,
    ForwarderMetrics Metrics);
