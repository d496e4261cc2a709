// A console tool has no SynchronizationContext.
#pragma warning disable CA2007
using System.Net;
using MeshGateway.Forwarding;
using Microsoft.Extensions.Logging.Abstractions;

namespace MeshGateway.Cli.Commands.Gateway;

/// <summary>
/// The one runner of <c>meshgw gateway</c> and <c>meshgw run</c>, static or fed by Consul: it starts every listener a
/// <see cref="MeshGatewayComposition"/> describes, writes the ready line, the connection log and the metrics lines,
/// runs until <c>stopping</c> fires or a listener dies, then deregisters (when registered) and drains.
/// </summary>
internal static class GatewayRunner
{
    /// <summary>
    /// Returns 0 after a clean drain, 1 when a listen address cannot be bound, a listener dies or
    /// <see cref="GatewayRunOptions.Listening"/> fails. Everything written to <paramref name="output"/> once running
    /// (ready lines, connection log, metrics, drain lines) goes through one <see cref="ConnectionLogWriter"/>, so an
    /// output nobody reads drops lines instead of stalling the gateway.
    /// </summary>
    public static async Task<int> RunAsync(
        MeshGatewayComposition composition,
        TextWriter output,
        TextWriter error,
        CancellationToken stopping,
        GatewayRunOptions? run = null)
    {
        run ??= new GatewayRunOptions();
        await using var log = new ConnectionLogWriter(output); // disposed last: flushes every line
        var observer = new ConnectionLogObserver(log);
        var running = new List<(TcpForwarder Forwarder, ForwarderListener Listener)>();
        try
        {
            ForwarderOptions options = composition.CreateForwarderOptions();
            options.Pump = run.Pump;
            foreach (ListenerPlan plan in composition.Listeners)
            {
                TcpForwarderBuilder builder = plan.CreateForwarderBuilder(options)
                    .UseLoggerFactory(run.LoggerFactory ?? NullLoggerFactory.Instance);
                if (run.Routes is not null)
                {
                    builder.UseRouteResolver(run.Routes);
                }

                if (run.ConnectionLog)
                {
                    builder.AddObserver(observer);
                }

                TcpForwarder forwarder = builder.Build();
                var listener = new ForwarderListener(forwarder, plan.EndPoint);
                running.Add((forwarder, listener));
                try
                {
                    listener.Start();
                }
                catch (System.Net.Sockets.SocketException e)
                {
                    error.WriteLine($"cannot listen on {plan.EndPoint}: {e.Message}");
                    return 1;
                }

                log.TryWrite(run.Describe ? $"listening on {listener.LocalEndPoint}: {plan.Description}" : $"listening on {listener.LocalEndPoint}");
            }

            if (run.Describe && run.Routes is null)
            {
                foreach (string line in composition.Routes)
                {
                    log.TryWrite("  " + line);
                }
            }

            using var metricsStop = CancellationTokenSource.CreateLinkedTokenSource(stopping);
            Task metrics = composition.Options.Metrics.PrintInterval is { } interval ? PrintMetricsAsync(interval, running, log, metricsStop.Token) : Task.CompletedTask;
            int code = run.Listening is null || await run.Listening(running[0].Listener.LocalEndPoint!)
                ? await WaitAllAsync(running, error, stopping)
                : 1;
            if (run.Draining is not null)
            {
                await run.Draining();
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

    /// <summary>
    /// Waits for SIGINT/SIGTERM (0) or for the listener to die (1, with the reason on <paramref name="error"/>): a
    /// gateway that no longer accepts must not look healthy.
    /// </summary>
    internal static async Task<int> WaitAsync(ForwarderListener listener, IPEndPoint listen, TextWriter error, CancellationToken stopping)
    {
        var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using CancellationTokenRegistration registration = stopping.Register(() => stopped.TrySetResult());
        Task first = await Task.WhenAny(stopped.Task, listener.Completion);
        if (first == listener.Completion && listener.Completion.IsFaulted)
        {
            error.WriteLine($"listener on {listen} failed: {listener.Completion.Exception!.InnerException!.Message}");
            return 1;
        }

        return 0;
    }

    /// <summary>The first listener to die ends the run (1); otherwise 0 once <paramref name="stopping"/> fires.</summary>
    private static async Task<int> WaitAllAsync(List<(TcpForwarder Forwarder, ForwarderListener Listener)> running, TextWriter error, CancellationToken stopping)
    {
        var waits = running.Select(r => WaitAsync(r.Listener, r.Listener.EndPoint, error, stopping)).ToList();
        while (waits.Count > 0)
        {
            Task<int> done = await Task.WhenAny(waits);
            waits.Remove(done);
            if (await done != 0)
            {
                return 1;
            }
        }

        return 0;
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
