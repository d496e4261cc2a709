using System.Net;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace MeshGateway.Forwarding.AspNetCore;

/// <summary>
/// Runs the standalone listener (<see cref="ForwarderListener"/>) inside a .NET host: binds every configured
/// address when the host starts (a bind failure fails the start), and on host shutdown stops accepting and drains
/// the forwarder (streaming connections get <see cref="ForwarderOptions.DrainTimeout"/>). Register it with
/// <see cref="MeshGatewayHostingServiceCollectionExtensions.AddMeshGatewayListener"/>.
/// </summary>
public sealed class MeshGatewayListenerService : IHostedService, IAsyncDisposable
{
    private readonly TcpForwarder _forwarder;
    private readonly MeshGatewayListenerOptions _options;
    private readonly List<ForwarderListener> _listeners = [];

    /// <summary>Creates the service for <paramref name="forwarder"/> and the validated <paramref name="options"/>.</summary>
    public MeshGatewayListenerService(TcpForwarder forwarder, IOptions<MeshGatewayListenerOptions> options)
    {
        ArgumentNullException.ThrowIfNull(forwarder);
        ArgumentNullException.ThrowIfNull(options);
        _forwarder = forwarder;
        _options = options.Value;
    }

    /// <summary>The bound end points (real ports when 0 was asked), once started.</summary>
    public IReadOnlyList<IPEndPoint> EndPoints => [.. _listeners.Select(l => l.LocalEndPoint!)];

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (string address in _options.Listeners)
        {
            var listener = new ForwarderListener(_forwarder, IPEndPoint.Parse(address));
            listener.Start();
            _listeners.Add(listener);
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        // Every listener stops accepting first; the shared forwarder then drains once.
        await Task.WhenAll(_listeners.Select(l => l.StopAsync(cancellationToken))).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        foreach (ForwarderListener listener in _listeners)
        {
            await listener.DisposeAsync().ConfigureAwait(false);
        }
    }
}
