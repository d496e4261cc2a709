using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;

namespace MeshGateway.Forwarding.AspNetCore;

/// <summary>Adds MeshGateway's SNI forwarding to a Kestrel endpoint as connection middleware.</summary>
public static class MeshGatewayListenOptionsExtensions
{
    /// <summary>
    /// Forwards this endpoint's TLS connections by SNI with <paramref name="forwarder"/>, without decrypting them.
    /// Terminal by default (nothing after it runs); mixed when <paramref name="configure"/> sets
    /// <see cref="KestrelForwardingOptions.ForwardWhen"/> or calls <see cref="KestrelForwardingOptions.ForwardServerNames"/>:
    /// then call it <b>before</b> <c>UseHttps()</c>, and every connection it does not forward reaches
    /// <c>UseHttps()</c> and the app with every byte unread. When the host stops, the forwarder is drained
    /// (<see cref="TcpForwarder.DrainAsync(TimeSpan, CancellationToken)"/>) before Kestrel stops: open connections get
    /// <see cref="ForwarderOptions.DrainTimeout"/> and end as <see cref="CloseCause.Drained"/> (set the host's
    /// <c>HostOptions.ShutdownTimeout</c> above it, or Kestrel aborts the last ones first).
    /// </summary>
    /// <param name="listenOptions">The Kestrel endpoint.</param>
    /// <param name="forwarder">The forwarder (its routes, limits, timeouts and telemetry apply).</param>
    /// <param name="configure">Mixed mode and the middleware's own settings.</param>
    /// <returns><paramref name="listenOptions"/>.</returns>
    public static ListenOptions UseMeshGatewayForwarding(this ListenOptions listenOptions, TcpForwarder forwarder, Action<KestrelForwardingOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(listenOptions);
        ArgumentNullException.ThrowIfNull(forwarder);
        DrainOnHostStop.Register(listenOptions, () => forwarder);
        return Use(listenOptions, () => forwarder, configure);
    }

    /// <summary>
    /// As <see cref="UseMeshGatewayForwarding(ListenOptions, TcpForwarder, Action{KestrelForwardingOptions}?)"/>
    /// with the <see cref="TcpForwarder"/> registered in the application's services
    /// (<c>services.AddMeshGatewayForwarder(...)</c>), resolved on the first connection.
    /// </summary>
    /// <param name="listenOptions">The Kestrel endpoint.</param>
    /// <param name="configure">Mixed mode and the middleware's own settings.</param>
    /// <returns><paramref name="listenOptions"/>.</returns>
    public static ListenOptions UseMeshGatewayForwarding(this ListenOptions listenOptions, Action<KestrelForwardingOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(listenOptions);
        IServiceProvider services = listenOptions.ApplicationServices;
        var forwarder = new Lazy<TcpForwarder>(services.GetRequiredService<TcpForwarder>, LazyThreadSafetyMode.ExecutionAndPublication);
        DrainOnHostStop.Register(listenOptions, () => forwarder.IsValueCreated ? forwarder.Value : null);
        return Use(listenOptions, () => forwarder.Value, configure);
    }

    private static ListenOptions Use(ListenOptions listenOptions, Func<TcpForwarder> forwarder, Action<KestrelForwardingOptions>? configure)
    {
        var options = new KestrelForwardingOptions();
        configure?.Invoke(options);
        listenOptions.Use(next => new ForwardingConnectionMiddleware(next, forwarder, options).OnConnectionAsync);
        return listenOptions;
    }
}
