using MeshGateway.Consul.Client;
using MeshGateway.Consul.Gateway;
using MeshGateway.Consul.Registration;
using MeshGateway.Consul.Watch;
using MeshGateway.Forwarding;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace MeshGateway.Cli.Commands.Gateway;

/// <summary>
/// <c>meshgw gateway --consul URL</c>: the routes follow a Consul agent (MeshGateway.Consul's watcher and
/// <see cref="ConsulGatewayRoutes"/>); <c>--service</c> and <c>--remote-gateway</c> add to them and win on a conflict.
/// With <c>--register</c> the gateway registers itself once listening and deregisters when it drains.
/// The listener starts at once; nothing routes until the first snapshot with a trust domain arrives (said on stderr).
/// </summary>
internal static class ConsulGatewaySource
{
    /// <summary>
    /// Checks the Consul flags against the others and builds the client options (flags win over <c>CONSUL_*</c>);
    /// every problem names its flag. Returns null without <c>--consul</c> or on an error.
    /// </summary>
    public static ConsulClientOptions? CheckFlags(string? consul, string? token, GatewaySettings settings, List<string> errors)
    {
        if (consul is null)
        {
            if (token is not null)
            {
                errors.Add("--consul-token: only meaningful with --consul.");
            }

            if (settings.TrustDomain is null)
            {
                errors.Add("--trust-domain: required unless --consul is given (the agent then gives it).");
            }

            return null;
        }

        if (string.IsNullOrWhiteSpace(consul))
        {
            errors.Add("--consul '': the address is empty; expected http(s)://host:port or host:port.");
            return null;
        }

        if (settings.ServiceSnis.Count > 0)
        {
            errors.Add("--service-sni: cannot be combined with --consul; give services with --service or register them in Consul.");
        }

        var explicitValues = new ConsulClientSettings { Address = consul, Token = token, Datacenter = settings.Datacenter };
        if (!ConsulClientOptions.TryCreate(explicitValues, null, out ConsulClientOptions? options, out IReadOnlyList<string> problems))
        {
            foreach (string problem in problems)
            {
                errors.Add($"--consul '{consul}': {problem}");
            }

            return null;
        }

        return errors.Count == 0 ? options : null;
    }

    /// <summary>
    /// Runs the gateway with routes from the agent until <paramref name="stopping"/> fires (exit codes as
    /// <see cref="GatewayRunner"/>); <c>meshgw gateway --consul</c> and <c>meshgw run</c> with a <c>consul</c> section.
    /// </summary>
    public static async Task<int> RunAsync(
        ConsulClientOptions client,
        GatewaySettings settings,
        TextWriter output,
        TextWriter error,
        CancellationToken stopping,
        PumpMode pump = PumpMode.Copy,
        bool connectionLog = true,
        ILoggerFactory? loggerFactory = null,
        ConsulSelfRegistration? registration = null,
        ForwarderOptions? options = null)
    {
        ILoggerFactory logs = loggerFactory ?? NullLoggerFactory.Instance;
        var watcherOptions = new ConsulMeshWatcherOptions { TrustDomain = settings.TrustDomain };
        ConsulMeshWatcher watcher = new(client, watcherOptions, logs.CreateLogger<ConsulMeshWatcher>());
        await using (watcher.ConfigureAwait(false))
        {
            using var routes = new ConsulGatewayRoutes(
                watcher,
                settings.Partition,
                settings.TrustDomain,
                settings.Services.Select(s => new ConsulStaticService(s.Name, s.Endpoints)),
                settings.RemoteGateways.Select(r => new ConsulStaticRemoteGateway(r.Datacenter, r.Partition, r.Endpoints)),
                logs.CreateLogger<ConsulGatewayRoutes>());
            await error.WriteLineAsync($"consul: following {client.Address}; nothing routes until its first snapshot arrives").ConfigureAwait(false);
            watcher.Start();
            using var announcing = CancellationTokenSource.CreateLinkedTokenSource(stopping);
            Task announced = AnnounceFirstRoutesAsync(routes, watcher, error, announcing.Token);
            using var registrar = new ConsulGatewayRegistrar(client);
            Func<System.Net.IPEndPoint, Task<bool>>? listening = null;
            Func<Task>? draining = null;
            if (registration is { } self)
            {
                listening = bound => self.RegisterAsync(registrar, bound, error);
                draining = () => self.DeregisterAsync(registrar, error);
            }

            try
            {
                return await GatewayRunner.RunAsync(settings, routes, output, error, stopping, pump, connectionLog, loggerFactory, listening, draining, options)
                    .ConfigureAwait(false);
            }
            finally
            {
                await announcing.CancelAsync().ConfigureAwait(false);
                await announced.ConfigureAwait(false);
            }
        }
    }

    private static async Task AnnounceFirstRoutesAsync(ConsulGatewayRoutes routes, ConsulMeshWatcher watcher, TextWriter error, CancellationToken cancellationToken)
    {
        try
        {
            long version = await routes.WaitForAppliedAsync(1, cancellationToken).ConfigureAwait(false);
            ConsulMeshSnapshot snapshot = watcher.Current;
            await error.WriteLineAsync(
                $"consul: routing from snapshot {version} ({snapshot.LocalServices.Count} local services, {snapshot.RemoteDatacenters.Count} remote datacenters, trust domain {snapshot.TrustDomain})")
                .ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }
}
