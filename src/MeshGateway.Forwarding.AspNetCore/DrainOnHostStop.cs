using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace MeshGateway.Forwarding.AspNetCore;

/// <summary>
/// Drains a Kestrel endpoint's forwarder when its host begins to stop. Kestrel's own shutdown asks connections to
/// close (which a forwarded byte stream cannot hear) and aborts them at <see cref="HostOptions.ShutdownTimeout"/>, so
/// without this every forwarded connection would end as a reset. <see cref="IHostApplicationLifetime.ApplicationStopping"/>
/// fires before any hosted service (Kestrel's included) is stopped, whatever the registration order: the forwarder
/// refuses new connections from then on and its open ones end as <see cref="CloseCause.Drained"/>; Kestrel's stop
/// then waits for the middleware, which returns as each drained connection closes.
/// </summary>
internal static class DrainOnHostStop
{
    /// <summary>What the drain leaves Kestrel, at most, to see the middleware return before its shutdown deadline.</summary>
    private static readonly TimeSpan KestrelMargin = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Registers the drain with the host of <paramref name="listenOptions"/>, if it has one.
    /// <paramref name="forwarderIfCreated"/> returns null for a forwarder not yet resolved (nothing to drain).
    /// </summary>
    public static void Register(ListenOptions listenOptions, Func<TcpForwarder?> forwarderIfCreated)
    {
        IServiceProvider? services = listenOptions.KestrelServerOptions?.ApplicationServices;
        if (services?.GetService<IHostApplicationLifetime>() is not { } lifetime)
        {
            return;
        }

        TimeSpan? shutdownTimeout = services.GetService<IOptions<HostOptions>>()?.Value.ShutdownTimeout;
        lifetime.ApplicationStopping.Register(() => Drain(forwarderIfCreated(), shutdownTimeout));
    }

    /// <summary>
    /// The drain timeout to use: the forwarder's, cut short of the host's shutdown timeout when it would reach it, so
    /// that the forwarder, not Kestrel's abort, ends the last connections.
    /// </summary>
    internal static TimeSpan EffectiveTimeout(TimeSpan drainTimeout, TimeSpan? shutdownTimeout)
    {
        if (shutdownTimeout is not { } shutdown || shutdown < TimeSpan.Zero || shutdown == Timeout.InfiniteTimeSpan)
        {
            return drainTimeout;
        }

        bool unbounded = drainTimeout < TimeSpan.Zero || drainTimeout > ForwarderOptions.MaxTimeout;
        if (!unbounded && drainTimeout < shutdown)
        {
            return drainTimeout;
        }

        TimeSpan margin = TimeSpan.FromTicks(Math.Min(KestrelMargin.Ticks, shutdown.Ticks / 10));
        return shutdown - margin;
    }

    private static void Drain(TcpForwarder? forwarder, TimeSpan? shutdownTimeout)
    {
        // Callbacks run one after another, and DrainAsync sets the flag before it first yields: endpoints sharing a
        // forwarder drain it once.
        if (forwarder is null || forwarder.IsDraining)
        {
            return;
        }

        // Not awaited: Kestrel's stop waits on the connections themselves. DrainAsync throws only on cancellation,
        // and no token is passed.
        _ = forwarder.DrainAsync(EffectiveTimeout(forwarder.Settings.DrainTimeout, shutdownTimeout));
    }
}
