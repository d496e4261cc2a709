using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;

namespace MeshGateway.Forwarding.Hosting.Tests;

/// <summary>
/// <c>services.AddMeshGateway(section)</c> in a real generic host, with a real JSON file on disk and real sockets on
/// loopback: the same keys as a <c>meshgw run</c> file, reload of routes and limits, restart-only keys, bad edits, drain.
/// </summary>
public class MeshGatewayHostTests
{
    private const string Td = "11111111-2222-3333-4444-555555555555.consul";

    /// <summary>A dc2 mesh gateway serving <c>web</c> (curl's hello asks for web.default.dc2.internal.&lt;td&gt;).</summary>
    private static string Json(EndPoint web, string listener = "127.0.0.1:0", string extra = "") => $$"""
        { "MeshGateway": {
            "Datacenter": "dc2", "trustdomain": "{{Td}}", "LISTENERS": [ "{{listener}}" ],
            "Services": [ { "Name": "web", "Endpoints": [ "{{web}}" ] } ]{{extra}} } }
        """;

    [Fact]
    public async Task Host_routes_by_the_section_and_an_edit_reroutes_new_connections_while_one_in_flight_keeps_its_upstream()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        using Socket first = Loopback.Listen();
        using Socket second = Loopback.Listen();
        await using var rig = await Rig.StartAsync(Json(first.LocalEndPoint!), ct);

        (Socket client, Socket upstream) = await Loopback.ConnectThroughAsync(rig.Gateway, first, ct);
        using (client)
        using (upstream)
        {
            await rig.EditAsync(Json(second.LocalEndPoint!, extra: """, "Limits": { "MaxConnections": 50 }"""), ct);

            Assert.Contains(rig.Logs.GetSnapshot(), r => r.Id.Name == "ConfigurationReloaded");
            Assert.Equal(50, rig.Service.Current!.Options.Limits.MaxConnections);
            await Loopback.AssertRoutedToAsync(rig.Gateway, second, ct);

            // The connection accepted before the edit still reaches the first upstream, both ways.
            await client.SendAsync("ping"u8.ToArray(), ct);
            byte[] ping = new byte[4];
            Assert.Equal(4, await upstream.ReceiveAsync(ping, ct));
            Assert.Equal("ping"u8.ToArray(), ping);
        }
    }

    [Fact]
    public async Task Upstream_listeners_dial_the_resolved_path_and_an_edit_of_its_endpoints_reaches_the_next_connection()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        using Socket first = Loopback.Listen();
        using Socket second = Loopback.Listen();
        string Sidecar(EndPoint localGateway) => $$"""
            { "MeshGateway": { "Mode": "upstream-listener", "Datacenter": "dc1", "TrustDomain": "{{Td}}", "DefaultMode": "local",
                "Upstreams": [ { "Name": "db", "Listen": "127.0.0.1:0", "TargetDatacenter": "dc2",
                                 "Instances": [ "127.0.0.1:1" ], "LocalGateways": [ "{{localGateway}}" ] } ] } }
            """;
        await using var rig = await Rig.StartAsync(Sidecar(first.LocalEndPoint!), ct);
        Assert.StartsWith("upstream db -> dc2: mode local (from ProxyDefaults), path LocalGateway", rig.Service.Current!.Listeners[0].Description, StringComparison.Ordinal);

        await Loopback.AssertRoutedToAsync(rig.Gateway, first, ct);
        await rig.EditAsync(Sidecar(second.LocalEndPoint!), ct);

        await Loopback.AssertRoutedToAsync(rig.Gateway, second, ct);
    }

    [Fact]
    public async Task A_bad_edit_is_logged_with_every_error_by_configuration_path_and_the_running_routes_stay()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        using Socket first = Loopback.Listen();
        await using var rig = await Rig.StartAsync(Json(first.LocalEndPoint!), ct);

        await rig.EditAsync(Json(first.LocalEndPoint!, extra: """, "Timeouts": { "Idle": "ten" }, "RemoteGateways": [ { "Datacenter": "DC3", "Endpoints": [] } ]"""), ct);

        FakeLogRecord rejected = Assert.Single(rig.Logs.GetSnapshot(), r => r.Id.Name == "ConfigurationEditRejected");
        Assert.Equal(LogLevel.Error, rejected.Level);
        Assert.Contains("3 error(s)", rejected.Message, StringComparison.Ordinal);
        Assert.Contains("MeshGateway:Timeouts:Idle: \"ten\" is not a duration", rejected.Message, StringComparison.Ordinal);
        Assert.Contains("MeshGateway:RemoteGateways:0:Datacenter: datacenter cannot be \"DC3\"", rejected.Message, StringComparison.Ordinal);
        Assert.Contains("MeshGateway:RemoteGateways:0:Endpoints: needs at least one endpoint", rejected.Message, StringComparison.Ordinal);
        await Loopback.AssertRoutedToAsync(rig.Gateway, first, ct);
    }

    [Fact]
    public async Task A_listener_edit_needs_a_restart_and_the_log_names_the_key()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        using Socket first = Loopback.Listen();
        using Socket second = Loopback.Listen();
        await using var rig = await Rig.StartAsync(Json(first.LocalEndPoint!), ct);

        await rig.EditAsync(Json(second.LocalEndPoint!, listener: "127.0.0.1:1"), ct);

        FakeLogRecord restart = Assert.Single(rig.Logs.GetSnapshot(), r => r.Id.Name == "RestartRequired");
        Assert.Contains("MeshGateway:Listeners", restart.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(rig.Logs.GetSnapshot(), r => r.Id.Name == "ConfigurationReloaded");
        await Loopback.AssertRoutedToAsync(rig.Gateway, first, ct);
    }

    [Fact]
    public async Task An_invalid_section_stops_the_host_from_starting_with_every_error_and_no_binder_exception()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        string json = $$"""
            { "MeshGateway": { "Datacenter": "dc1", "TrustDomain": "{{Td}}", "Listeners": "127.0.0.1:0",
                "Services": [ { "Name": "Web!", "Endpoints": [ "127.0.0.1:1" ] } ], "Limits": { "MaxConnections": "many" }, "Typo": 1 } }
            """;

        OptionsValidationException error = await Assert.ThrowsAsync<OptionsValidationException>(() => Rig.StartAsync(json, ct));

        Assert.Equal(
            [
                "MeshGateway:Typo: unknown property (expected one of mode, datacenter, partition, trustDomain, listeners, services, remoteGateways, defaultMode, upstreams, timeouts, limits, proxyProtocol, metrics, entries, service, consul).",
                "MeshGateway:Listeners: expected a list, got \"127.0.0.1:0\".",
                "MeshGateway:Limits:MaxConnections: \"many\" is not a whole number.",
                "MeshGateway:Services:0:Name: service \"Web!\" has the character '!' at index 3; every label of a name in an SNI must be letters, digits, '_' or '-' ([A-Za-z0-9_-])",
            ],
            error.Failures);
        Assert.DoesNotContain("   at ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_consul_section_stops_the_host_from_starting_instead_of_running_a_gateway_that_follows_nothing()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        string json = """
            { "MeshGateway": { "Datacenter": "dc1", "Listeners": [ "127.0.0.1:0" ], "Consul": { "Address": "http://127.0.0.1:8500" } } }
            """;

        OptionsValidationException error = await Assert.ThrowsAsync<OptionsValidationException>(() => Rig.StartAsync(json, ct));

        string failure = Assert.Single(error.Failures);
        Assert.StartsWith("MeshGateway:Consul: a host does not follow a Consul agent from configuration", failure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stopping_the_host_drains_open_connections_within_the_drain_timeout_and_reports_them_Drained()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        using Socket first = Loopback.Listen();
        var observer = new ClosedObserver();
        await using var rig = await Rig.StartAsync(Json(first.LocalEndPoint!, extra: """, "Timeouts": { "Drain": "100ms" }"""), ct, observer);
        (Socket client, Socket upstream) = await Loopback.ConnectThroughAsync(rig.Gateway, first, ct);
        using (client)
        using (upstream)
        {
            await rig.Host.StopAsync(ct);

            Assert.Equal(CloseCause.Drained, Assert.Single(observer.Closed).Cause);
            Assert.Contains(rig.Logs.GetSnapshot(), r => r.Id.Name == "Draining" && r.Message.Contains("draining 1 connection(s), up to 00:00:00.1", StringComparison.Ordinal));
        }
    }

    private sealed class ClosedObserver : IForwarderObserver
    {
        public ConcurrentQueue<ForwardingResult> Closed { get; } = new();

        public void OnAccepted(ForwardingContext context)
        {
        }

        public void OnRouted(ForwardingContext context)
        {
        }

        public void OnConnectAttempt(ForwardingContext context, UpstreamEndpoint endpoint, int attempt, Exception? exception)
        {
        }

        public void OnStreaming(ForwardingContext context)
        {
        }

        public void OnClosed(ForwardingContext context, ForwardingResult result) => Closed.Enqueue(result);
    }

    /// <summary>A generic host on a JSON file in a temporary folder; <see cref="EditAsync"/> rewrites it and reloads.</summary>
    private sealed class Rig : IAsyncDisposable
    {
        private readonly string _file;

        private Rig(string file, IHost host, FakeLogCollector logs)
        {
            _file = file;
            Host = host;
            Logs = logs;
        }

        public IHost Host { get; }

        public FakeLogCollector Logs { get; }

        public MeshGatewayHostedService Service => Host.Services.GetRequiredService<MeshGatewayHostedService>();

        public IPEndPoint Gateway => Service.EndPoints[0];

        public static async Task<Rig> StartAsync(string json, CancellationToken ct, IForwarderObserver? observer = null)
        {
            string file = Path.Combine(Directory.CreateTempSubdirectory("meshgw-host-").FullName, "appsettings.json");
            await File.WriteAllTextAsync(file, json, ct);
            var logs = new FakeLogCollector();
            HostApplicationBuilder builder = Microsoft.Extensions.Hosting.Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
            builder.Configuration.AddJsonFile(file, optional: false, reloadOnChange: false);
            builder.Logging.AddProvider(new FakeLoggerProvider(logs));
            if (observer is not null)
            {
                builder.Services.AddSingleton(observer);
            }

            builder.Services.AddMeshGateway(builder.Configuration.GetSection("MeshGateway"));
            IHost host = builder.Build();
            try
            {
                await host.StartAsync(ct);
            }
            catch
            {
                host.Dispose();
                throw;
            }

            return new Rig(file, host, logs);
        }

        /// <summary>Writes the file and reloads the configuration (what reloadOnChange does when the file watcher fires).</summary>
        public async Task EditAsync(string json, CancellationToken ct)
        {
            await File.WriteAllTextAsync(_file, json, ct);
            ((IConfigurationRoot)Host.Services.GetRequiredService<IConfiguration>()).Reload();
        }

        public async ValueTask DisposeAsync()
        {
            await Host.StopAsync(CancellationToken.None);
            Host.Dispose();
        }
    }
}
