// A console tool has no SynchronizationContext.
#pragma warning disable CA2007
using System.Net;
using MeshGateway.Forwarding;

namespace MeshGateway.Cli.Commands.Run;

/// <summary>Runs the listeners a <see cref="MeshGatewayComposition"/> describes until stopped, then drains.</summary>
internal static class RunRunner
{
    /// <summary>
    /// Returns 0 after a clean drain, 1 when a listen address cannot be bound or a listener dies. Every line written to
    /// <paramref name="output"/> once running goes through one <see cref="ConnectionLogWriter"/> (never blocks forwarding).
    /// </summary>
    public static async Task<int> RunAsync(
        MeshGatewayComposition composition,
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
            ForwarderOptions options = composition.CreateForwarderOptions();
            foreach (ListenerPlan listenerPlan in composition.Listeners)
            {
                IPEndPoint listen = listenerPlan.EndPoint;
                TcpForwarderBuilder builder = listenerPlan.CreateForwarderBuilder(options).AddObserver(observer);
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

            foreach (string line in composition.Routes)
            {
                log.TryWrite("  " + line);
            }

            using var metricsStop = CancellationTokenSource.CreateLinkedTokenSource(stopping);
            Task metrics = composition.Options.Metrics.PrintInterval is { } interval ? PrintMetricsAsync(interval, running, log, metricsStop.Token) : Task.CompletedTask;
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
