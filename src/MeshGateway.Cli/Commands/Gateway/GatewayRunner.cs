using System.Runtime.CompilerServices;
using MeshGateway.Forwarding;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace MeshGateway.Cli.Commands.Gateway;

/// <summary>Runs the mesh gateway until <c>stopping</c> fires, then drains.</summary>
internal static class GatewayRunner
{
    /// <summary>
    /// Returns 0 after a clean drain, 1 when the listen address cannot be bound, the listener dies or
    /// <paramref name="listening"/> fails. <paramref name="listening"/> runs once the listener is bound (with its
    /// address; false stops the gateway) and <paramref name="draining"/> when the drain starts, before the listener
    /// stops accepting (the Consul registration's hooks). <paramref name="options"/> carries a <c>meshgw run</c> file's
    /// timeouts and limits (the defaults when null). Everything
    /// written to <paramref name="output"/> once listening (ready line, connection log, drain lines) goes through a
    /// <see cref="ConnectionLogWriter"/>, so an output nobody reads drops lines instead of stalling the gateway.
    /// </summary>
    public static async Task<int> RunAsync(
        GatewaySettings settings,
        IForwardRouteResolver router,
        TextWriter output,
        TextWriter error,
        CancellationToken stopping,
        PumpMode pump = PumpMode.Copy,
        bool connectionLog = true,
        ILoggerFactory? loggerFactory = null,
        Func<System.Net.IPEndPoint, Task<bool>>? listening = null,
        Func<Task>? draining = null,
        ForwarderOptions? options = null)
    {
        var log = new ConnectionLogWriter(output);
        await using ConfiguredAsyncDisposable logScope = log.ConfigureAwait(false); // disposed last: flushes every line
        var builder = new TcpForwarderBuilder(options);
        builder.Options.Pump = pump;
        builder.UseRouteResolver(router).UseLoggerFactory(loggerFactory ?? NullLoggerFactory.Instance);
        if (connectionLog)
        {
            builder.AddObserver(new ConnectionLogObserver(log));
        }

        TcpForwarder forwarder = builder.Build();
        await using ConfiguredAsyncDisposable forwarderScope = forwarder.ConfigureAwait(false);
        var listener = new ForwarderListener(forwarder, settings.Listen);
        await using ConfiguredAsyncDisposable listenerScope = listener.ConfigureAwait(false);
        try
        {
            listener.Start();
        }
        catch (System.Net.Sockets.SocketException e)
        {
            error.WriteLine($"cannot listen on {settings.Listen}: {e.Message}");
            return 1;
        }

        log.TryWrite($"listening on {listener.LocalEndPoint}");
        int code = listening is null || await listening(listener.LocalEndPoint!).ConfigureAwait(false)
            ? await WaitAsync(listener, settings.Listen, error, stopping).ConfigureAwait(false)
            : 1;
        if (draining is not null)
        {
            await draining().ConfigureAwait(false);
        }

        log.TryWrite($"draining {forwarder.ActiveConnections} connection(s)");
        await listener.StopAsync(CancellationToken.None).ConfigureAwait(false);
        log.TryWrite("stopped");
        return code;
    }

    /// <summary>
    /// Waits for SIGINT/SIGTERM (0) or for the listener to die (1, with the reason on <paramref name="error"/>): a
    /// gateway that no longer accepts must not look healthy.
    /// </summary>
    internal static async Task<int> WaitAsync(ForwarderListener listener, System.Net.IPEndPoint listen, TextWriter error, CancellationToken stopping)
    {
        var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using CancellationTokenRegistration registration = stopping.Register(() => stopped.TrySetResult());
        Task first = await Task.WhenAny(stopped.Task, listener.Completion).ConfigureAwait(false);
        if (first == listener.Completion && listener.Completion.IsFaulted)
        {
            error.WriteLine($"listener on {listen} failed: {listener.Completion.Exception!.InnerException!.Message}");
            return 1;
        }

        return 0;
    }
}
