using MeshGateway.Consul.Client;
using MeshGateway.Consul.Watch;
using MeshGateway.Testing.Consul;
using Microsoft.Extensions.Logging;

namespace MeshGateway.Consul.Tests.Infrastructure;

/// <summary>Creates watchers on a fake agent and waits for snapshots and status changes by events, never by sleeping.</summary>
internal static class WatcherFixture
{
    /// <summary>Long blocking waits (so a change that arrives proves the hold-until-change path) and quick retries.</summary>
    public static ConsulMeshWatcherOptions Options { get; } = new()
    {
        WaitTime = TimeSpan.FromMinutes(2),
        RetryBaseDelay = TimeSpan.FromMilliseconds(20),
        RetryMaxDelay = TimeSpan.FromMilliseconds(200),
    };

    public static ConsulMeshWatcher Create(FakeConsulAgent agent, ConsulMeshWatcherOptions? options = null, string? token = null, ILogger<ConsulMeshWatcher>? logger = null)
    {
        ConsulClientOptions client = ConsulClientOptions.Create(
            new ConsulClientSettings { Address = agent.Address.ToString(), Datacenter = "dc1", Token = token },
            _ => null);
        return new ConsulMeshWatcher(client, options ?? Options, logger);
    }

    public static async Task<ConsulMeshSnapshot> WaitUntilAsync(this ConsulMeshWatcher watcher, Func<ConsulMeshSnapshot, bool> condition)
    {
        using var patience = new CancellationTokenSource(Catalog.Patience);
        ConsulMeshSnapshot snapshot = watcher.Current;
        while (!condition(snapshot))
        {
            snapshot = await watcher.WaitForChangeAsync(snapshot.Version, patience.Token);
        }

        return snapshot;
    }

    /// <summary>Completes when <see cref="ConsulMeshWatcher.Status"/> satisfies <paramref name="condition"/>.</summary>
    public static async Task<ConsulConnectionStatus> WaitForStatusAsync(this ConsulMeshWatcher watcher, Func<ConsulConnectionStatus, bool> condition)
    {
        var reached = new TaskCompletionSource<ConsulConnectionStatus>(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnChange(object? sender, ConsulConnectionStatus status)
        {
            if (condition(status))
            {
                reached.TrySetResult(status);
            }
        }

        watcher.StatusChanged += OnChange;
        try
        {
            if (condition(watcher.Status))
            {
                return watcher.Status;
            }

            return await reached.Task.WaitAsync(Catalog.Patience);
        }
        finally
        {
            watcher.StatusChanged -= OnChange;
        }
    }
}
