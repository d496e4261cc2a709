using FsCheck.Xunit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace MeshGateway.Forwarding.Hosting.Tests;

/// <summary>The one binder: the keys of a <c>meshgw run</c> file, any case, every error by path, never an exception.</summary>
public class MeshGatewayConfigurationTests
{
    private const string Td = GatewaySections.Td;

    [Fact]
    public void Keys_in_any_case_bind_every_section_of_the_model()
    {
        IConfigurationSection section = GatewaySections.Section(new()
        {
            ["MeshGateway:MODE"] = "upstream-listener",
            ["MeshGateway:datacenter"] = "dc1",
            ["MeshGateway:TrustDomain"] = Td,
            ["MeshGateway:defaultmode"] = "local",
            ["MeshGateway:Upstreams:0:name"] = "db",
            ["MeshGateway:Upstreams:0:Listen"] = "127.0.0.1:0",
            ["MeshGateway:Upstreams:0:TargetDatacenter"] = "dc2",
            ["MeshGateway:Upstreams:0:LocalGateways:0"] = "127.0.0.1:8443",
            ["MeshGateway:timeouts:Sniff"] = "00:00:03",
            ["MeshGateway:Timeouts:idle"] = "2m",
            ["MeshGateway:Timeouts:Drain"] = "0",
            ["MeshGateway:limits:maxconnections"] = "7",
            ["MeshGateway:ProxyProtocol"] = "v2",
            ["MeshGateway:Metrics:PrintInterval"] = "30s",
        });

        Assert.True(MeshGatewayConfiguration.TryCompose(section, out MeshGatewayComposition? composition, out IReadOnlyList<MeshGatewayOptionsProblem> errors), string.Join("\n", GatewaySections.Rendered(errors)));

        MeshGatewayOptions options = composition!.Options;
        Assert.Equal(MeshGatewayRole.UpstreamListener, options.Mode);
        Assert.Equal(TimeSpan.FromSeconds(3), options.Timeouts.Sniff);
        Assert.Equal(TimeSpan.FromMinutes(2), options.Timeouts.Idle);
        Assert.Equal(TimeSpan.Zero, options.Timeouts.Drain);
        Assert.Equal(7, composition.CreateForwarderOptions().MaxConnections);
        Assert.Equal(ProxyProtocolVersion.V2, options.ProxyProtocol);
        Assert.Equal(TimeSpan.FromSeconds(30), options.Metrics.PrintInterval);
        Assert.Equal("upstream db -> dc2: mode local (from ProxyDefaults), path LocalGateway via 127.0.0.1:8443", Assert.Single(composition.Listeners).Description);
    }

    [Fact]
    public void Wrong_shapes_unknown_keys_and_unreadable_values_are_all_reported_by_path_without_an_exception()
    {
        IConfigurationSection section = GatewaySections.Section(new()
        {
            ["MeshGateway:Datacenter:Name"] = "dc1",
            ["MeshGateway:TrustDomain"] = Td,
            ["MeshGateway:Listeners"] = "127.0.0.1:8443",
            ["MeshGateway:Services:0"] = "web",
            ["MeshGateway:Services:1:Name"] = "api",
            ["MeshGateway:Services:1:Port"] = "80",
            ["MeshGateway:Services:1:Endpoints:0:Host"] = "10.0.0.1",
            ["MeshGateway:RemoteGateways:dc2:Endpoints:0"] = "192.0.2.1:8443",
            ["MeshGateway:Timeouts"] = "10s",
            ["MeshGateway:Limits:BufferSize"] = "1.5",
            ["MeshGateway:Limits:MaxConnectAttempts"] = "99",
            ["MeshGateway:Mode"] = "gateway",
            ["MeshGateway:Kubernetes:Address"] = "http://127.0.0.1:8500",
        });

        Assert.False(MeshGatewayConfiguration.TryCompose(section, out MeshGatewayComposition? composition, out IReadOnlyList<MeshGatewayOptionsProblem> errors));

        Assert.Null(composition);
        Assert.Equal(
            [
                "MeshGateway:Kubernetes: unknown property (expected one of mode, datacenter, partition, trustDomain, listeners, services, remoteGateways, defaultMode, upstreams, timeouts, limits, proxyProtocol, metrics, entries, service, consul).",
                "MeshGateway:Mode: \"gateway\" is not one of mesh-gateway, upstream-listener.",
                "MeshGateway:Datacenter: expected a single value, got an object.",
                "MeshGateway:Listeners: expected a list, got \"127.0.0.1:8443\".",
                "MeshGateway:Services:0: expected an object, got \"web\".",
                "MeshGateway:Services:1:Port: unknown property (expected one of name, sni, namespace, endpoints).",
                "MeshGateway:Services:1:Endpoints:0: expected a single value, got an object.",
                "MeshGateway:RemoteGateways: expected a list, got an object.",
                "MeshGateway:Timeouts: expected an object, got \"10s\".",
                "MeshGateway:Limits:BufferSize: \"1.5\" is not a whole number.",
                "MeshGateway:Limits:MaxConnectAttempts: expected an integer from 1 to 16, got 99.",
            ],
            GatewaySections.Rendered(errors));
    }

    [Theory]
    [InlineData("Sniff", "10s")]
    [InlineData("Sniff", "00:00:10")]
    [InlineData("Connect", "10000ms")]
    [InlineData("Route", "0.5m")]
    public void Durations_take_a_unit_or_timespan_text(string key, string text)
    {
        IConfigurationSection section = GatewaySections.Section(new() { [$"MeshGateway:Timeouts:{key}"] = text });

        Assert.True(MeshGatewayConfiguration.TryBind(section, out MeshGatewayOptions options, out IReadOnlyList<MeshGatewayOptionsProblem> errors));

        Assert.Empty(errors);
        TimeSpan expected = key == "Route" ? TimeSpan.FromSeconds(30) : TimeSpan.FromSeconds(10);
        Assert.Equal(expected, key switch { "Sniff" => options.Timeouts.Sniff, "Connect" => options.Timeouts.Connect, _ => options.Timeouts.Route });
    }

    [Property]
    public bool Any_text_under_any_key_binds_or_is_reported_and_never_throws(string[] texts, byte[] picks)
    {
        string[] keys =
        [
            "Mode", "Datacenter", "Listeners:0", "Services:0:Name", "Services:0:Endpoints", "Services:1", "Timeouts:Idle", "Timeouts",
            "Limits:MaxConnections", "ProxyProtocol", "Upstreams:0:Mode", "Upstreams:0:Listen", "Metrics", "DefaultMode", "TrustDomain",
        ];
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        for (int i = 0; i < Math.Min(texts.Length, picks.Length); i++)
        {
            values[$"MeshGateway:{keys[picks[i] % keys.Length]}"] = texts[i];
        }

        bool composed = MeshGatewayConfiguration.TryCompose(GatewaySections.Section(values), out MeshGatewayComposition? composition, out IReadOnlyList<MeshGatewayOptionsProblem> errors);
        return composed == (composition is not null) && composed == (errors.Count == 0) && errors.All(e => e.Message.Length > 0);
    }

    [Fact]
    public async Task Forwarder_section_edits_reach_the_forwarders_limits_for_new_connections()
    {
        IConfigurationRoot root = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["MeshGateway:MaxConnections"] = "7",
        }).Build();
        var services = new ServiceCollection();
        services.AddMeshGatewayForwarder(root.GetSection("MeshGateway"));
        await using ServiceProvider provider = services.BuildServiceProvider();
        TcpForwarder forwarder = provider.GetRequiredService<TcpForwarder>();
        Assert.Equal(7, forwarder.MaxConnections);

        root["MeshGateway:MaxConnections"] = "3";
        root.Reload();

        Assert.Equal(3, forwarder.MaxConnections);
    }
}
