using System.Net;
using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;

namespace MeshGateway.Forwarding.Tests.Engine;

/// <summary>
/// A forwarder whose clients and upstreams are in-memory (<see cref="MemoryPeer"/>) and whose clock is a
/// <see cref="FakeTimeProvider"/>: every phase and every close cause can be driven without a socket or a sleep.
/// </summary>
internal sealed class EngineHarness : IAsyncDisposable
{
    /// <summary>A real ClientHello (curl's), one TLS record.</summary>
    public static readonly byte[] Hello = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "TestData", "client-hellos", "curl.bin"));

    /// <summary>The SNI in <see cref="Hello"/>.</summary>
    public const string HelloServerName = "web.default.dc2.internal.11111111-2222-3333-4444-555555555555.consul";

    private readonly Channel<MemoryPeer> _upstreams = Channel.CreateUnbounded<MemoryPeer>();

    private EngineHarness(Action<ForwarderOptions>? options, Action<TcpForwarderBuilder>? configure)
    {
        var forwarderOptions = new ForwarderOptions
        {
            SniffTimeout = TimeSpan.FromSeconds(10),
            RouteTimeout = TimeSpan.FromSeconds(5),
            IdleTimeout = TimeSpan.FromMinutes(5),
            HalfClosedTimeout = TimeSpan.FromSeconds(30),
        };
        options?.Invoke(forwarderOptions);
        var builder = new TcpForwarderBuilder(forwarderOptions)
            .UseRouteResolver(new StaticRouteResolver(Route("upstream")))
            .UseTimeProvider(Time)
            .AddObserver(Observer);
        builder.UpstreamTransport = DialAsync;
        configure?.Invoke(builder);
        Forwarder = builder.Build();
    }

    public FakeTimeProvider Time { get; } = new();

    public StreamingObserver Observer { get; } = new();

    public TcpForwarder Forwarder { get; }

    /// <summary>When set, every dial fails with it (a refused connect).</summary>
    public Exception? DialFailure { get; set; }

    public static EngineHarness Start(Action<ForwarderOptions>? options = null, Action<TcpForwarderBuilder>? configure = null) => new(options, configure);

    /// <summary>A route to one in-memory upstream endpoint.</summary>
    public static ForwardRoute Route(string cluster) =>
        new(cluster, new UpstreamCluster(cluster, [new UpstreamEndpoint(new IPEndPoint(IPAddress.Loopback, 1))]));

    /// <summary>A new client handed to the engine; it runs up to its first wait before this returns.</summary>
    public (MemoryPeer Client, Task<ForwardingResult> Result) Connect() => ConnectCancelable(CancellationToken.None);

    /// <summary>As <see cref="Connect"/>, with a caller token that aborts the connection.</summary>
    public (MemoryPeer Client, Task<ForwardingResult> Result) ConnectCancelable(CancellationToken cancellationToken)
    {
        var client = new MemoryPeer();
        return (client, Forwarder.ForwardAsync(client.EngineEnd, null, null, cancellationToken));
    }

    /// <summary>The next upstream the engine dialed.</summary>
    public async Task<MemoryPeer> NextUpstreamAsync() => await _upstreams.Reader.ReadAsync(TestContext.Current.CancellationToken);

    /// <summary>A client whose hello has been forwarded: both ends are streaming.</summary>
    public async Task<(MemoryPeer Client, MemoryPeer Upstream, Task<ForwardingResult> Result)> StreamingAsync()
    {
        (MemoryPeer client, Task<ForwardingResult> result) = Connect();
        await client.SendAsync(Hello);
        MemoryPeer upstream = await NextUpstreamAsync();
        Assert.Equal(Hello, await upstream.ReceiveExactlyAsync(Hello.Length));
        await Observer.NextStreamingAsync();
        return (client, upstream, result);
    }

    public ValueTask DisposeAsync() => Forwarder.DisposeAsync();

    private ValueTask<ConnectionSide> DialAsync(UpstreamEndpoint endpoint, CancellationToken cancellationToken)
    {
        if (DialFailure is { } failure)
        {
            return ValueTask.FromException<ConnectionSide>(failure);
        }

        var upstream = new MemoryPeer();
        _upstreams.Writer.TryWrite(upstream);
        return ValueTask.FromResult<ConnectionSide>(new PipeConnectionSide(upstream.EngineEnd));
    }

    /// <summary>Reports each connection that reached <see cref="ForwardingPhase.Streaming"/>.</summary>
    internal sealed class StreamingObserver : IForwarderObserver
    {
        private readonly Channel<ForwardingContext> _streaming = Channel.CreateUnbounded<ForwardingContext>();

        public void OnStreaming(ForwardingContext context) => _streaming.Writer.TryWrite(context);

        public async Task<ForwardingContext> NextStreamingAsync() => await _streaming.Reader.ReadAsync(TestContext.Current.CancellationToken);
    }
}
