using System.Net;
using System.Net.Sockets;
using MeshGateway.Forwarding;
using MeshGateway.Testing;
using Microsoft.Extensions.Time.Testing;

namespace MeshGateway.FunctionalTests.Infrastructure;

/// <summary>A forwarder behind a real listener on 127.0.0.1, with a recording observer.</summary>
internal sealed class ForwarderHarness : IAsyncDisposable
{
    private ForwarderHarness(TcpForwarder forwarder, ForwarderListener listener, RecordingObserver observer)
    {
        Forwarder = forwarder;
        Listener = listener;
        Observer = observer;
    }

    public TcpForwarder Forwarder { get; }

    public ForwarderListener Listener { get; }

    public RecordingObserver Observer { get; }

    public IPEndPoint EndPoint => Listener.LocalEndPoint!;

    public static ForwarderHarness Start(Action<TcpForwarderBuilder> configure)
    {
        var observer = new RecordingObserver();
        var builder = new TcpForwarderBuilder();
        builder.AddObserver(observer);
        configure(builder);
        TcpForwarder forwarder = builder.Build();
        var listener = new ForwarderListener(forwarder, new IPEndPoint(IPAddress.Loopback, 0));
        listener.Start();
        return new ForwarderHarness(forwarder, listener, observer);
    }

    /// <summary>A forwarder that routes every connection to <paramref name="upstreams"/> without inspecting.</summary>
    public static ForwarderHarness StartPassthrough(FakeTimeProvider? time, params EndPoint[] upstreams) =>
        StartPassthrough(time, _ => { }, upstreams);

    /// <summary>As above, moving bytes with <paramref name="pump"/> (the splice and lifecycle tests run in every mode).</summary>
    public static ForwarderHarness StartPassthrough(FakeTimeProvider? time, Pump pump, params EndPoint[] upstreams) =>
        StartPassthrough(time, b => b.UsePump(pump), upstreams);

    public static ForwarderHarness StartPassthrough(FakeTimeProvider? time, Action<TcpForwarderBuilder> configure, params EndPoint[] upstreams) =>
        Start(b =>
        {
            b.UseSniffing(false);
            b.UseRouteResolver(StaticRoute(upstreams));
            if (time is not null)
            {
                b.UseTimeProvider(time);
            }

            configure(b);
        });

    /// <summary>A resolver that sends every connection, whatever its SNI, to <paramref name="upstreams"/> in turn.</summary>
    public static StaticRouteResolver StaticRoute(params EndPoint[] upstreams) =>
        new(new ForwardRoute("test", new UpstreamCluster("test", upstreams.Select(e => new UpstreamEndpoint(e)).ToArray(), new RoundRobinSelector())));

    public Task<Socket> ConnectAsync() => Loopback.ConnectAsync(EndPoint);

    public async ValueTask DisposeAsync()
    {
        // Abort whatever a test left open first, so the listener's own drain has nothing to wait for.
        await Forwarder.DrainAsync(TimeSpan.Zero, TestContext.Current.CancellationToken);
        await Listener.StopAsync(TestContext.Current.CancellationToken);
        await Forwarder.DisposeAsync();
    }
}
