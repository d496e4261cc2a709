// A console tool has no SynchronizationContext.
#pragma warning disable CA2007
using System.Net;
using MeshGateway.Forwarding;
using MeshGateway.Modes;
using MeshGateway.Naming;

namespace MeshGateway.Cli.Commands.Run;

/// <summary>Builds the forwarders a <see cref="RunConfig"/> describes, runs them until stopped, then drains.</summary>
internal static class RunRunner
{
    /// <summary>Builds every route table, collecting naming errors (route tables cannot be built from bad names).</summary>
    public static List<(string Description, IPEndPoint Listen, Func<TcpForwarderBuilder> Forwarder)>? Plan(RunConfig config, TextWriter output, List<string> errors)
    {
        IUpstreamPreambleWriter? preamble = config.ProxyProtocol switch
        {
            ProxyProtocolVersion.V1 => ProxyProtocolV1Writer.Instance,
            ProxyProtocolVersion.V2 => ProxyProtocolV2Writer.Instance,
            _ => null,
        };
        var plan = new List<(string, IPEndPoint, Func<TcpForwarderBuilder>)>();
        if (config.Mode == RunMode.MeshGateway)
        {
            var builder = new MeshGatewayRouterBuilder(config.Datacenter, config.Partition, config.TrustDomain).UsePreamble(preamble);
            foreach (ServiceConfig service in config.Services)
            {
                _ = service.Name is { } name ? builder.AddLocalService(name, service.Endpoints, service.Namespace) : builder.AddServiceSni(service.Sni!, service.Endpoints);
            }

            foreach (RemoteGatewayConfig remote in config.RemoteGateways)
            {
                builder.AddRemoteGateway(remote.Datacenter, remote.Endpoints, remote.Partition);
            }

            if (!builder.TryBuild(out MeshGatewayRouteResolver? built, out IReadOnlyList<string> routeErrors))
            {
                errors.AddRange(routeErrors.Select(error => $"$.services / $.remoteGateways: {error}"));
                return null;
            }

            MeshGatewayRouteResolver resolver = built!;
            foreach (IPEndPoint listen in config.Listeners)
            {
                plan.Add(($"mesh gateway {config.Datacenter}", listen, () => new TcpForwarderBuilder(config.Forwarder).UseRouteResolver(resolver)));
            }

            return plan;
        }

        foreach (UpstreamConfig upstream in config.Upstreams)
        {
            MeshGatewayResolution resolution = MeshGatewayModeResolver.Resolve(
                new MeshGatewayModeLayers(Upstream: upstream.Mode, ProxyDefaults: config.DefaultMode),
                new UpstreamTarget(LocalDatacenter: config.Datacenter, TargetDatacenter: upstream.TargetDatacenter, LocalPartition: config.Partition));
            ForwardRoute route = SidecarUpstreamRoute.Create(
                upstream.Name, resolution, new SidecarUpstreamEndpoints(upstream.Instances, upstream.LocalGateways, upstream.RemoteGateways));
            if (route.Cluster.Endpoints.Count == 0)
            {
                errors.Add($"$.upstreams[{config.Upstreams.ToList().IndexOf(upstream)}]: mode {resolution.Mode} (from {resolution.Source}) dials {resolution.Path}, but no endpoints are listed for it.");
                continue;
            }

            if (preamble is not null)
            {
                route = new ForwardRoute(route.Id, new UpstreamCluster(route.Cluster.Name, route.Cluster.Endpoints, route.Cluster.Selector, preamble));
            }

            string description = $"upstream {upstream.Name} -> {upstream.TargetDatacenter}: mode {resolution.Mode.ToString().ToLowerInvariant()} (from {resolution.Source}), path {resolution.Path} via {string.Join(", ", route.Cluster.Endpoints)}";
            plan.Add((description, upstream.Listen, () => new TcpForwarderBuilder(config.Forwarder).UseInspector(null).UseRouteResolver(new StaticRouteResolver(route))));
        }

        return errors.Count == 0 ? plan : null;
    }

    /// <summary>
    /// Returns 0 after a clean drain, 1 when a listen address cannot be bound or a listener dies. Every line written to
    /// <paramref name="output"/> once running goes through one <see cref="ConnectionLogWriter"/> (never blocks forwarding).
    /// </summary>
    public static async Task<int> RunAsync(
        RunConfig config,
        List<(string Description, IPEndPoint Listen, Func<TcpForwarderBuilder> Forwarder)> plan,
        TextWriter output,
        TextWriter error,
        CancellationToken stopping,
        Microsoft.Extensions.Logging.ILoggerFactory? loggerFactory = null)
    {
        await using var log = new ConnectionLogWriter(output); // disposed last: flushes every line
        var observer = new Gateway.ConnectionLogObserver(log);
        var running = new List<(TcpForwarder Forwarder, ForwarderListener Listener)>();
        try
        {
            foreach ((string description, IPEndPoint listen, Func<TcpForwarderBuilder> create) in plan)
            {
                TcpForwarderBuilder builder = create().AddObserver(observer);
                if (loggerFactory is not null)
                {
                    builder.UseLoggerFactory(loggerFactory);
                }

                TcpForwarder forwarder = builder.Build();
                var listener = new ForwarderListener(forwarder, listen);
                running.Add((forwarder, listener));
                try
                {
                    listener.Start();
                }
                catch (System.Net.Sockets.SocketException e)
                {
                    error.WriteLine($"cannot listen on {listen}: {e.Message}");
                    return 1;
                }

                log.TryWrite($"listening on {listener.LocalEndPoint}: {description}");
            }

            if (config.Mode == RunMode.MeshGateway)
            {
                PrintRoutes(config, log);
            }

            using var metricsStop = CancellationTokenSource.CreateLinkedTokenSource(stopping);
            Task metrics = config.MetricsInterval is { } interval ? PrintMetricsAsync(interval, running, log, metricsStop.Token) : Task.CompletedTask;
            int code = 0;
            var waits = running.Select(r => Gateway.GatewayRunner.WaitAsync(r.Listener, r.Listener.EndPoint, error, stopping)).ToList();
            while (waits.Count > 0)
            {
                // The first listener to die ends the run (exit 1); otherwise all return when stopping fires.
                Task<int> done = await Task.WhenAny(waits);
                waits.Remove(done);
                if (await done != 0)
                {
                    code = 1;
                    break;
                }
            }

            await metricsStop.CancelAsync();
            await metrics;
            log.TryWrite($"draining {running.Sum(r => r.Forwarder.ActiveConnections)} connection(s)");
            await Task.WhenAll(running.Select(r => r.Listener.StopAsync(CancellationToken.None)));
            log.TryWrite("stopped");
            return code;
        }
        finally
        {
            foreach ((TcpForwarder forwarder, ForwarderListener listener) in running)
            {
                await listener.DisposeAsync();
                await forwarder.DisposeAsync();
            }
        }
    }

    private static async Task PrintMetricsAsync(TimeSpan interval, List<(TcpForwarder Forwarder, ForwarderListener Listener)> running, ConnectionLogWriter log, CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stopping))
            {
                log.TryWrite($"metrics active_connections={running.Sum(r => r.Forwarder.ActiveConnections)}");
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    private static void PrintRoutes(RunConfig config, ConnectionLogWriter log)
    {
        foreach (ServiceConfig service in config.Services)
        {
            string sni = service.Sni ?? ConsulSni.Service(service.Name!, null, service.Namespace, config.Partition, config.Datacenter, config.TrustDomain);
            log.TryWrite($"  serves {sni} -> {string.Join(", ", service.Endpoints)}");
        }

        foreach (RemoteGatewayConfig remote in config.RemoteGateways)
        {
            log.TryWrite($"  serves *.{remote.Datacenter}.internal.{config.TrustDomain} -> {remote.Datacenter} gateways {string.Join(", ", remote.Endpoints)}");
        }
    }
}
