using MeshGateway.ClientHello;
using MeshGateway.Naming;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace MeshGateway.Forwarding;

/// <summary>
/// The default route resolver: <see cref="ForwarderOptions.Routes"/> in MeshGateway.Naming's
/// <see cref="SniRouteTable{TRoute}"/> (exact, then longest <c>*.suffix</c>, then <c>*</c>), plus the fallback
/// clusters for not-TLS, malformed and unmatched connections. With an <see cref="IOptionsMonitor{TOptions}"/>
/// the routes reload: a valid change is swapped in atomically; an invalid one is logged and ignored.
/// </summary>
public sealed class OptionsRouteResolver : IForwardRouteResolver, IImmediateRouteResolver, INonBlockingStage, IDisposable
{
    private readonly IDisposable? _subscription;
    private readonly ILogger _logger;
    private RoutingSnapshot _snapshot;

    /// <summary>Creates a resolver over fixed options.</summary>
    public OptionsRouteResolver(ForwarderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _logger = NullLogger.Instance;
        _snapshot = RoutingSnapshot.Build(options);
    }

    /// <summary>Creates a resolver that follows <paramref name="options"/>' changes.</summary>
    public OptionsRouteResolver(IOptionsMonitor<ForwarderOptions> options, ILogger<OptionsRouteResolver>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _snapshot = RoutingSnapshot.Build(options.CurrentValue);
        _subscription = options.OnChange(Reload);
    }

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
        RoutingSnapshot snapshot = Volatile.Read(ref _snapshot);
        return context.SniffStatus switch
        {
            ClientHelloStatus.NotTls => snapshot.NotTls,
            ClientHelloStatus.NotClientHello or ClientHelloStatus.Malformed => snapshot.Malformed,
            _ => snapshot.Table.TryLookup(context.ClientHello?.ServerName ?? string.Empty, out ForwardRoute? matched) ? matched : snapshot.NoRoute,
        };
    }

    /// <summary>Stops following option changes.</summary>
    public void Dispose() => _subscription?.Dispose();

    private void Reload(ForwarderOptions options)
    {
        try
        {
            RoutingSnapshot snapshot = RoutingSnapshot.Build(options);
            Volatile.Write(ref _snapshot, snapshot);
            ForwarderLog.RoutesReloaded(_logger, snapshot.Table.Count, snapshot.ClusterCount);
        }
        catch (Exception error) when (error is OptionsValidationException or SniRouteTableException)
        {
            ForwarderLog.RoutesReloadFailed(_logger, error);
        }
    }
}
