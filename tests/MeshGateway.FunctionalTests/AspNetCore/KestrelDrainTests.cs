using System.Net;
using System.Net.Security;
using MeshGateway.Forwarding;
using MeshGateway.Forwarding.AspNetCore;
using MeshGateway.FunctionalTests.Infrastructure;
using MeshGateway.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace MeshGateway.FunctionalTests.AspNetCore;

/// <summary>
/// Stopping a Kestrel host drains the forwarder behind <c>UseMeshGatewayForwarding</c>: a streaming connection gets
/// the forwarder's <see cref="ForwarderOptions.DrainTimeout"/> (on the forwarder's clock) and ends as
/// <see cref="CloseCause.Drained"/>, not as the reset Kestrel's own shutdown abort would leave.
/// </summary>
public class KestrelDrainTests
{
    private const string ServerName = "db.example.test";

    /// <summary>The host's shutdown deadline, in real time: the bound a drain that never starts would hit.</summary>
    private static readonly TimeSpan HostShutdownTimeout = TimeSpan.FromSeconds(10);

    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task Stopping_the_host_drains_a_streaming_connection_within_the_drain_timeout_and_reports_it_drained()
    {
        await using var rig = new DrainRig();
        await using KestrelHost kestrel = await KestrelHost.StartAsync(
            listen => listen.UseMeshGatewayForwarding(rig.Forwarder),
            services => services.Configure<HostOptions>(o => o.ShutdownTimeout = HostShutdownTimeout));
        await using SslStream tls = await rig.StreamAsync(kestrel.EndPoint);

        Task stopping = await rig.StopUntilDrainBeginsAsync(kestrel);
        Assert.True(rig.Forwarder.IsDraining);
        Assert.False(rig.Observer.TryReadClosed(out _)); // a streaming connection may finish during the drain

        rig.Time.Advance(DrainTimeout);
        var (_, result) = await rig.Observer.NextClosedAsync();
        Assert.Equal(CloseCause.Drained, result.Cause);
        await stopping;
        Assert.Equal($"Forwarder draining 1 connection(s), up to {DrainTimeout}", rig.DrainRecord().Message);

        // Disposing the forwarder drains again with nothing left: no second "draining 0 connection(s), up to 0" line.
        await rig.Forwarder.DisposeAsync();
        Assert.Equal($"Forwarder draining 1 connection(s), up to {DrainTimeout}", rig.DrainRecord().Message);
    }

    [Fact]
    public async Task Stopping_the_host_drains_the_forwarder_registered_in_services_once_for_every_endpoint_using_it()
    {
        await using var rig = new DrainRig();
        await using KestrelHost kestrel = await KestrelHost.StartAsync(
            listen => listen.UseMeshGatewayForwarding(),
            services => services
                .AddSingleton(rig.Forwarder)
                .Configure<HostOptions>(o => o.ShutdownTimeout = HostShutdownTimeout),
            secondEndpoint: listen => listen.UseMeshGatewayForwarding());
        Assert.Equal(2, kestrel.EndPoints.Count);
        await using SslStream first = await rig.StreamAsync(kestrel.EndPoints[0]);
        await using SslStream second = await rig.StreamAsync(kestrel.EndPoints[1]);

        Task stopping = await rig.StopUntilDrainBeginsAsync(kestrel);
        rig.Time.Advance(DrainTimeout);
        Assert.Equal(CloseCause.Drained, (await rig.Observer.NextClosedAsync()).Result.Cause);
        Assert.Equal(CloseCause.Drained, (await rig.Observer.NextClosedAsync()).Result.Cause);
        await stopping;
        Assert.Equal($"Forwarder draining 2 connection(s), up to {DrainTimeout}", rig.DrainRecord().Message);
    }

    [Fact]
    public async Task Stopping_the_host_does_not_create_a_services_forwarder_no_connection_resolved()
    {
        int created = 0;
        await using KestrelHost kestrel = await KestrelHost.StartAsync(
            listen => listen.UseMeshGatewayForwarding(),
            services => services.AddSingleton(_ =>
            {
                Interlocked.Increment(ref created);
                return Forwarder(new IPEndPoint(IPAddress.Loopback, 1), TimeSpan.FromSeconds(5), TimeProvider.System, new RecordingObserver(), NullLoggerFactory.Instance);
            }));

        await kestrel.StopAsync();
        Assert.Equal(0, Volatile.Read(ref created));
    }

    private static TcpForwarder Forwarder(EndPoint upstream, TimeSpan drainTimeout, TimeProvider time, RecordingObserver observer, ILoggerFactory loggerFactory)
    {
        var options = new ForwarderOptions { DrainTimeout = drainTimeout };
        var cluster = new UpstreamClusterOptions();
        cluster.Endpoints.Add(upstream.ToString()!);
        options.Clusters["upstream"] = cluster;
        options.Routes.Add(new ForwardRouteOptions { Sni = ServerName, Cluster = "upstream" });
        return new TcpForwarderBuilder(options).UseTimeProvider(time).UseLoggerFactory(loggerFactory).AddObserver(observer).Build();
    }

    /// <summary>
    /// A TLS upstream, a forwarder to it on a fake clock with <see cref="DrainTimeout"/>, its observer, and a log
    /// that signals when the forwarder logs its drain.
    /// </summary>
    private sealed class DrainRig : IAsyncDisposable
    {
        private readonly TlsEchoServer _db = new("db", ServerName);
        private readonly TaskCompletionSource _drainLogged = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly FakeLogCollector _logs;
        private readonly ILoggerFactory _loggerFactory;

        public DrainRig()
        {
            _logs = FakeLogCollector.Create(new FakeLogCollectorOptions
            {
                OutputSink = line =>
                {
                    if (line.Contains("Forwarder draining", StringComparison.Ordinal))
                    {
                        _drainLogged.TrySetResult();
                    }
                },
            });
            _loggerFactory = LoggerFactory.Create(b => b.AddProvider(new FakeLoggerProvider(_logs)));
            Forwarder = KestrelDrainTests.Forwarder(_db.EndPoint, DrainTimeout, Time, Observer, _loggerFactory);
        }

        public FakeTimeProvider Time { get; } = new();

        public RecordingObserver Observer { get; } = new();

        public TcpForwarder Forwarder { get; }

        /// <summary>A TLS session through <paramref name="endPoint"/> that the forwarder reports streaming.</summary>
        public async Task<SslStream> StreamAsync(IPEndPoint endPoint)
        {
            SslStream tls = await TlsClient.ConnectAsync(endPoint, ServerName, _db.Certificate);
            Assert.Equal("db", await TlsClient.ReadGreetingAsync(tls));
            await Observer.NextStreamingAsync();
            return tls;
        }

        /// <summary>Begins stopping the host; returns once the drain has begun (and fails if the stop ends first).</summary>
        public async Task<Task> StopUntilDrainBeginsAsync(KestrelHost kestrel)
        {
            Task stopping = kestrel.StopAsync();
            Assert.Same(_drainLogged.Task, await Task.WhenAny(_drainLogged.Task, stopping));
            return stopping;
        }

        /// <summary>The one drain line logged before anything is disposed.</summary>
        public FakeLogRecord DrainRecord() =>
            Assert.Single(_logs.GetSnapshot(), r => r.Message.StartsWith("Forwarder draining", StringComparison.Ordinal));

        public async ValueTask DisposeAsync()
        {
            await Forwarder.DisposeAsync();
            _loggerFactory.Dispose();
            await _db.DisposeAsync();
        }
    }
}
