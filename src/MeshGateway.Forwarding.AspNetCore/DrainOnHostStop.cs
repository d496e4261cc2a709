using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace MeshGateway.Forwarding.AspNetCore;

/// <summary>
/// Drains a Kestrel endpoint's forwarder when its host begins to stop. Kestrel's own shutdown asks connections to
/// close (which a forwarded byte stream cannot hear) and aborts them at the host's shutdown timeout, so without this
/// every forwarded connection would end as a reset. <see cref="IHostApplicationLifetime.ApplicationStopping"/> fires
/// before any hosted service (Kestrel's included) is stopped, whatever the registration order: the forwarder refuses
/// new connections from then on and its open ones end as <see cref="CloseCause.Drained"/> within
/// <see cref="ForwarderOptions.DrainTimeout"/>; Kestrel's stop waits for the middleware, which returns as each
/// drained connection closes. The host's <c>HostOptions.ShutdownTimeout</c> must exceed the drain timeout, or
/// Kestrel aborts the last connections first.
/// </summary>
internal static class DrainOnHostStop
{
    /// <summary>
    /// Registers the drain with the host of <paramref name="listenOptions"/>, if it has one.
    /// <paramref name="forwarderIfCreated"/> returns null for a forwarder not yet resolved (nothing to drain).
    /// </summary>
    public static void Register(ListenOptions listenOptions, Func<TcpForwarder?> forwarderIfCreated)
    {
        if (listenOptions.KestrelServerOptions?.ApplicationServices?.GetService<IHostApplicationLifetime>() is { } lifetime)
        {
            lifetime.ApplicationStopping.Register(() => Drain(forwarderIfCreated()));
        }
    }

    private static void Drain(TcpForwarder? forwarder)
    {
        // Callbacks run one after another, and DrainAsync sets the flag before it first yields: endpoints sharing a
        // forwarder drain it once.
        if (forwarder is null || forwarder.IsDraining)
        {
            return;
        }

        // Not awaited: Kestrel's stop waits on the connections themselves. DrainAsync throws only on cancellation,
        // and no token is passed.
        _ = forwarder.DrainAsync();
    }
}
