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
    /// <summary>
    /// Maps the file onto the library's composition (<see cref="MeshGatewayRouterBuilder"/>, <see cref="SidecarBuilder"/>):
    /// the library builds the routes and resolves each upstream's mode; every problem lands in <paramref name="errors"/>.
    /// </summary>
    public static IReadOnlyList<ListenerPlan>? Plan(RunConfig config, List<string> errors, out IReadOnlyList<string> routeLines)
    {
        IUpstreamPreambleWriter? preamble = config.ProxyProtocol switch
        {
            ProxyProtocolVersion.V1 => ProxyProtocolV1Writer.Instance,
            ProxyProtocolVersion.V2 => ProxyProtocolV2Writer.Instance,
            _ => null,
        };
        IReadOnlyList<ListenerPlan>? plan;
        IReadOnlyList<string> problems;
        if (config.Mode == RunMode.MeshGateway)
        {
            var gateway = new MeshGatewayRouterBuilder(config.Datacenter, config.Partition, config.TrustDomain).UsePreamble(preamble);
            foreach (ServiceConfig service in config.Services)
            {
                _ = service.Name is { } name ? gateway.AddLocalService(name, service.Endpoints, service.Namespace) : gateway.AddServiceSni(service.Sni!, service.Endpoints);
            }

            foreach (RemoteGatewayConfig remote in config.RemoteGateways)
            {
                gateway.AddRemoteGateway(remote.Datacenter, remote.Endpoints, remote.Partition);
            }

            _ = gateway.TryBuildListeners(config.Listeners, out plan, out problems);
            routeLines = plan is null ? [] : gateway.DescribeRoutes();
            errors.AddRange(problems.Select(problem => $"$.services / $.remoteGateways: {problem}"));
            return plan;
        }

        var sidecar = new SidecarBuilder(config.Datacenter, config.Partition) { Modes = { ProxyDefaults = ConsulWord(config.DefaultMode) } }.UsePreamble(preamble);
        foreach (UpstreamConfig upstream in config.Upstreams)
        {
            sidecar.AddUpstream(
                upstream.Name,
                upstream.Listen,
                new SidecarUpstreamEndpoints(upstream.Instances, upstream.LocalGateways, upstream.RemoteGateways),
                upstream.TargetDatacenter,
                ConsulWord(upstream.Mode));
        }

        _ = sidecar.TryBuild(out plan, out problems);
        routeLines = [];
        errors.AddRange(problems.Select(problem => ToJsonPath(config, problem)));
        return plan;
    }

    private static string? ConsulWord(MeshGatewayMode mode) => mode == MeshGatewayMode.Default ? null : mode.ToString().ToLowerInvariant();

    /// <summary>The library names an upstream by key (<c>Upstreams:db: …</c>); the file's readers know it as <c>$.upstreams[i]</c>.</summary>
    private static string ToJsonPath(RunConfig config, string problem)
    {
        for (int i = 0; i < config.Upstreams.Count; i++)
        {
            string key = $"Upstreams:{config.Upstreams[i].Name}: ";
            if (problem.StartsWith(key, StringComparison.Ordinal))
            {
                return $"$.upstreams[{i}]: {problem[key.Length..]}";
            }
        }

        return problem;
    }

    /// <summary>
    /// Returns 0 after a clean drain, 1 when a listen address cannot be bound or a listener dies. Every line written to
    /// <paramref name="output"/> once running goes through one <see cref="ConnectionLogWriter"/> (never blocks forwarding).
    /// </summary>
    public static async Task<int> RunAsync(
        RunConfig config,
        IReadOnlyList<ListenerPlan> plan,
        IReadOnlyList<string> routeLines,
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
            foreach (ListenerPlan listenerPlan in plan)
            {
                IPEndPoint listen = listenerPlan.EndPoint;
                TcpForwarderBuilder builder = listenerPlan.CreateForwarderBuilder(config.Forwarder).AddObserver(observer);
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

                log.TryWrite($"listening on {listener.LocalEndPoint}: {listenerPlan.Description}");
            }

            foreach (string line in routeLines)
            {
                log.TryWrite("  " + line);
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
}
