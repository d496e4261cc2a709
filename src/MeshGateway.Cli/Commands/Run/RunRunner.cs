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
            var builder = new MeshGatewayRouterBuilder(config.Datacenter, config.Partition, config.TrustDomain);
            foreach (ServiceConfig service in config.Services)
            {
                _ = service.Name is { } name ? builder.AddLocalService(name, service.Endpoints, service.Namespace) : builder.AddServiceSni(service.Sni!, service.Endpoints);
            }

            foreach (RemoteGatewayConfig remote in config.RemoteGateways)
            {
                builder.AddRemoteGateway(remote.Datacenter, remote.Endpoints, remote.Partition);
            }

            MeshGatewayRouteResolver router;
            try
            {
                router = builder.Build();
            }
            catch (SniRouteTableException e)
            {
                errors.AddRange(e.Errors.Select(error => $"$.services / $.remoteGateways: {error}"));
                return null;
            }

            IForwardRouteResolver resolver = preamble is null ? router : new ProxyProtocolRouteResolver(router, preamble);
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

    /// <summary>Returns 0 after a clean drain, 1 when a listen address cannot be bound.</summary>
    public static async Task<int> RunAsync(RunConfig config, List<(string Description, IPEndPoint Listen, Func<TcpForwarderBuilder> Forwarder)> plan, TextWriter output, TextWriter error, CancellationToken stopping)
    {
        var running = new List<(TcpForwarder Forwarder, ForwarderListener Listener)>();
        try
        {
            foreach ((string description, IPEndPoint listen, Func<TcpForwarderBuilder> create) in plan)
            {
                TcpForwarder forwarder = create().AddObserver(new Gateway.ConnectionLogObserver(output)).Build();
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

                Print(output, $"listening on {listener.LocalEndPoint}: {description}");
            }

            if (config.Mode == RunMode.MeshGateway)
            {
                PrintRoutes(config, output);
            }

            using PeriodicTimer? metrics = config.MetricsInterval is { } interval ? new PeriodicTimer(interval) : null;
            try
            {
                if (metrics is null)
                {
                    await Task.Delay(Timeout.Infinite, stopping);
                }

                while (await metrics!.WaitForNextTickAsync(stopping))
                {
                    Print(output, $"metrics active_connections={running.Sum(r => r.Forwarder.ActiveConnections)}");
                }
            }
            catch (OperationCanceledException)
            {
                // SIGINT / SIGTERM: stop accepting and drain.
            }

            Print(output, $"draining {running.Sum(r => r.Forwarder.ActiveConnections)} connection(s)");
            await Task.WhenAll(running.Select(r => r.Listener.StopAsync(CancellationToken.None)));
            Print(output, "stopped");
            return 0;
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

    private static void PrintRoutes(RunConfig config, TextWriter output)
    {
        foreach (ServiceConfig service in config.Services)
        {
            string sni = service.Sni ?? ConsulSni.Service(service.Name!, null, service.Namespace, config.Partition, config.Datacenter, config.TrustDomain);
            Print(output, $"  serves {sni} -> {string.Join(", ", service.Endpoints)}");
        }

        foreach (RemoteGatewayConfig remote in config.RemoteGateways)
        {
            Print(output, $"  serves *.{remote.Datacenter}.internal.{config.TrustDomain} -> {remote.Datacenter} gateways {string.Join(", ", remote.Endpoints)}");
        }
    }

    private static void Print(TextWriter output, string line)
    {
        lock (output)
        {
            output.WriteLine(line);
            output.Flush();
        }
    }
}
