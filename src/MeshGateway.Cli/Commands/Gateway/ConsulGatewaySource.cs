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
/// <see cref="ConsulGatewayRoutes"/>); <c>--service</c>, <c>--service-sni</c> and <c>--remote-gateway</c> add to them and
/// win on a conflict.
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
    /// Runs <paramref name="composition"/> on <see cref="GatewayRunner"/> with routes from the agent on every listener
    /// until <paramref name="stopping"/> fires (exit codes as that runner's); the composition's services and remote
    /// gateways add to the agent's and win on a conflict, and its PROXY protocol header goes to every upstream.
    /// <c>meshgw gateway --consul</c> and <c>meshgw run</c> with a <c>consul</c> section.
    /// </summary>
    public static async Task<int> RunAsync(
        ConsulClientOptions client,
        MeshGatewayComposition composition,
        TextWriter output,
        TextWriter error,
        CancellationToken stopping,
        GatewayRunOptions? run = null,
        ConsulSelfRegistration? registration = null)
    {
        run ??= new GatewayRunOptions();
        MeshGatewayOptions options = composition.Options;
        ILoggerFactory logs = run.LoggerFactory ?? NullLoggerFactory.Instance;
        var watcherOptions = new ConsulMeshWatcherOptions { TrustDomain = options.TrustDomain };
        ConsulMeshWatcher watcher = new(client, watcherOptions, logs.CreateLogger<ConsulMeshWatcher>());
        await using (watcher.ConfigureAwait(false))
        {
            using var routes = new ConsulGatewayRoutes(
                watcher,
                options.Partition,
                options.TrustDomain,
                options.Services.Where(s => s.Name is not null).Select(s => new ConsulStaticService(s.Name!, Endpoints(s.Endpoints)) { Namespace = s.Namespace }),
                options.RemoteGateways.Select(r => new ConsulStaticRemoteGateway(r.Datacenter!, string.IsNullOrEmpty(r.Partition) ? null : r.Partition, Endpoints(r.Endpoints))),
                logs.CreateLogger<ConsulGatewayRoutes>(),
                options.ProxyProtocol switch
                {
                    ProxyProtocolVersion.V1 => ProxyProtocolV1Writer.Instance,
                    ProxyProtocolVersion.V2 => ProxyProtocolV2Writer.Instance,
                    _ => null,
                },
                options.Services.Where(s => s.Sni is not null).Select(s => new ConsulStaticServiceSni(s.Sni!, Endpoints(s.Endpoints))));
            await error.WriteLineAsync($"consul: following {client.Address}; nothing routes until its first snapshot arrives").ConfigureAwait(false);
            watcher.Start();
            using var announcing = CancellationTokenSource.CreateLinkedTokenSource(stopping);
            Task announced = AnnounceFirstRoutesAsync(routes, watcher, error, announcing.Token);
            using var registrar = new ConsulGatewayRegistrar(client);
            run = run with { Routes = routes };
            if (registration is { } self)
            {
                run = run with
                {
                    Listening = bound => self.RegisterAsync(registrar, bound, error),
                    Draining = () => self.DeregisterAsync(registrar, error),
                };
            }

            try
            {
                return await GatewayRunner.RunAsync(composition, output, error, stopping, run).ConfigureAwait(false);
            }
            finally
            {
                await announcing.CancelAsync().ConfigureAwait(false);
                await announced.ConfigureAwait(false);
            }
        }
    }

    /// <summary>Endpoints the composer has already checked.</summary>
    private static UpstreamEndpoint[] Endpoints(IReadOnlyList<string> texts) =>
        [.. texts.Select(text => UpstreamEndpoint.TryParse(text, out UpstreamEndpoint? endpoint) ? endpoint! : throw new InvalidOperationException($"unchecked endpoint {text}"))];

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
