using System.Net;
using System.Net.Security;
using MeshGateway.Forwarding;
using MeshGateway.Forwarding.AspNetCore;
using MeshGateway.FunctionalTests.Infrastructure;
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

    [Fact]
    public async Task Stopping_the_host_drains_a_streaming_connection_within_the_drain_timeout_and_reports_it_drained()
    {
        var drainTimeout = TimeSpan.FromSeconds(5);
        await using var db = new TlsEchoServer("db", ServerName);
        var time = new FakeTimeProvider();
        var observer = new RecordingObserver();
        var drainLogged = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        FakeLogCollector logs = DrainLogCollector(drainLogged);
        using ILoggerFactory loggerFactory = LoggerFactory.Create(b => b.AddProvider(new FakeLoggerProvider(logs)));
        await using TcpForwarder forwarder = Forwarder(db.EndPoint, drainTimeout, time, observer, loggerFactory);
        await using KestrelHost kestrel = await KestrelHost.StartAsync(
            listen => listen.UseMeshGatewayForwarding(forwarder),
            services => services.Configure<HostOptions>(o => o.ShutdownTimeout = HostShutdownTimeout));
        await using SslStream tls = await TlsClient.ConnectAsync(kestrel.EndPoint, ServerName, db.Certificate);
        Assert.Equal("db", await TlsClient.ReadGreetingAsync(tls));
        await observer.NextStreamingAsync();

        Task stopping = kestrel.StopAsync();
        Assert.Same(drainLogged.Task, await Task.WhenAny(drainLogged.Task, stopping));
        Assert.True(forwarder.IsDraining);
        Assert.False(observer.TryReadClosed(out _)); // a streaming connection may finish during the drain

        time.Advance(drainTimeout);
        var (_, result) = await observer.NextClosedAsync();
        Assert.Equal(CloseCause.Drained, result.Cause);
        await stopping;
        Assert.Equal($"Forwarder draining 1 connection(s), up to {drainTimeout}", DrainRecord(logs).Message);
    }

    [Fact]
    public async Task Stopping_the_host_drains_the_forwarder_registered_in_services_once_for_every_endpoint_using_it()
    {
        var drainTimeout = TimeSpan.FromSeconds(5);
        await using var db = new TlsEchoServer("db", ServerName);
        var time = new FakeTimeProvider();
        var observer = new RecordingObserver();
        var drainLogged = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        FakeLogCollector logs = DrainLogCollector(drainLogged);
        using ILoggerFactory loggerFactory = LoggerFactory.Create(b => b.AddProvider(new FakeLoggerProvider(logs)));
        await using TcpForwarder forwarder = Forwarder(db.EndPoint, drainTimeout, time, observer, loggerFactory);
        await using KestrelHost kestrel = await KestrelHost.StartAsync(
            listen => listen.UseMeshGatewayForwarding(),
            services => services
                .AddSingleton(forwarder)
                .Configure<HostOptions>(o => o.ShutdownTimeout = HostShutdownTimeout),
            secondEndpoint: listen => listen.UseMeshGatewayForwarding());
        Assert.Equal(2, kestrel.EndPoints.Count);
        await using SslStream first = await TlsClient.ConnectAsync(kestrel.EndPoints[0], ServerName, db.Certificate);
        Assert.Equal("db", await TlsClient.ReadGreetingAsync(first));
        await observer.NextStreamingAsync();
        await using SslStream second = await TlsClient.ConnectAsync(kestrel.EndPoints[1], ServerName, db.Certificate);
        Assert.Equal("db", await TlsClient.ReadGreetingAsync(second));
        await observer.NextStreamingAsync();

        Task stopping = kestrel.StopAsync();
        Assert.Same(drainLogged.Task, await Task.WhenAny(drainLogged.Task, stopping));
        time.Advance(drainTimeout);
        Assert.Equal(CloseCause.Drained, (await observer.NextClosedAsync()).Result.Cause);
        Assert.Equal(CloseCause.Drained, (await observer.NextClosedAsync()).Result.Cause);
        await stopping;
        Assert.Equal($"Forwarder draining 2 connection(s), up to {drainTimeout}", DrainRecord(logs).Message);
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

    /// <summary>A collector that completes <paramref name="drainLogged"/> when the forwarder logs its drain.</summary>
    private static FakeLogCollector DrainLogCollector(TaskCompletionSource drainLogged) =>
        FakeLogCollector.Create(new FakeLogCollectorOptions
        {
            OutputSink = line =>
            {
                if (line.Contains("Forwarder draining", StringComparison.Ordinal))
                {
                    drainLogged.TrySetResult();
                }
            },
        });

    /// <summary>The one drain line logged before the test disposes anything.</summary>
    private static FakeLogRecord DrainRecord(FakeLogCollector logs) =>
        Assert.Single(logs.GetSnapshot(), r => r.Message.StartsWith("Forwarder draining", StringComparison.Ordinal));
}
