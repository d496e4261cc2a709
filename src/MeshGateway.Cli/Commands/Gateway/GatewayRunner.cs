using System.Runtime.CompilerServices;
using MeshGateway.Forwarding;

namespace MeshGateway.Cli.Commands.Gateway;

/// <summary>Runs the mesh gateway until <c>stopping</c> fires, then drains.</summary>
internal static class GatewayRunner
{
    /// <summary>Returns 0 after a clean drain, 1 when the listen address cannot be bound.</summary>
    public static async Task<int> RunAsync(
        GatewaySettings settings,
        MeshGatewayRouteResolver router,
        TextWriter output,
        TextWriter error,
        CancellationToken stopping,
        PumpMode pump = PumpMode.Copy,
        bool connectionLog = true)
    {
        var builder = new TcpForwarderBuilder();
        builder.Options.Pump = pump;
        builder.UseRouteResolver(router);
        if (connectionLog)
        {
            builder.AddObserver(new ConnectionLogObserver(output));
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

        lock (output)
        {
            output.WriteLine($"listening on {listener.LocalEndPoint}");
            output.Flush();
        }

        try
        {
            await Task.Delay(Timeout.Infinite, stopping).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // SIGINT / SIGTERM: stop accepting and drain.
        }

        lock (output)
        {
            output.WriteLine($"draining {forwarder.ActiveConnections} connection(s)");
            output.Flush();
        }

        await listener.StopAsync(CancellationToken.None).ConfigureAwait(false);
        lock (output)
        {
            output.WriteLine("stopped");
            output.Flush();
        }

        return 0;
    }
}
