using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;

namespace MeshGateway.Forwarding.Hosting;

/// <summary>What <see cref="MeshGatewayHostedService"/> takes from the container for every forwarder it builds.</summary>
internal sealed record MeshGatewayHostedServiceDependencies(
    TimeProvider TimeProvider,
    ILoggerFactory? LoggerFactory,
    IMeterFactory? MeterFactory,
    IReadOnlyList<IForwarderObserver> Observers);
