namespace MeshGateway.Forwarding.Tests.Composition;

/// <summary>
/// Issue 17: the <c>consul</c> section of a mesh gateway (the values <c>meshgw gateway --consul</c> takes as flags),
/// every value checked at its path; the trust domain becomes optional (the agent gives it).
/// </summary>
public class MeshGatewayComposerConsulTests
{
    private const string Td = "11111111-2222-3333-4444-555555555555.consul";

    private static string[] Lines(IEnumerable<MeshGatewayOptionsProblem> problems) => [.. problems.Select(p => p.ToString())];

    private static MeshGatewayOptions Gateway(MeshGatewayConsulOptions consul, string listener = "127.0.0.1:0", string? trustDomain = null, string? baseDirectory = null) => new()
    {
        Datacenter = "dc1",
        TrustDomain = trustDomain,
        Listeners = [listener],
        Consul = consul,
        BaseDirectory = baseDirectory,
    };

    [Fact]
    public void A_gateway_following_consul_needs_no_trust_domain_and_its_listeners_route_nothing_until_the_agent_answers()
    {
        MeshGatewayComposition composition = MeshGatewayComposer.Compose(Gateway(new MeshGatewayConsulOptions { Address = "127.0.0.1:8500" }));

        ListenerPlan listener = Assert.Single(composition.Listeners);
        Assert.Equal("127.0.0.1:0", listener.EndPoint.ToString());
        Assert.True(listener.SniffsClientHello);
        Assert.Empty(composition.Routes);
    }

    [Fact]
    public void With_a_trust_domain_the_files_own_routes_are_composed_as_without_consul()
    {
        var options = new MeshGatewayOptions
        {
            Datacenter = "dc1",
            TrustDomain = Td,
            Listeners = ["127.0.0.1:0"],
            Services = [new() { Name = "web", Endpoints = ["10.0.0.5:20000"] }],
            Consul = new() { Address = "https://consul.example:8501", Register = new() { Enabled = true, WanAddress = "198.51.100.7:8443" } },
        };

        MeshGatewayComposition composition = MeshGatewayComposer.Compose(options);

        Assert.Equal([$"serves web.default.dc1.internal.{Td} -> 10.0.0.5:20000"], composition.Routes);
    }

    [Fact]
    public void Every_value_of_the_section_is_checked_at_its_path()
    {
        var consul = new MeshGatewayConsulOptions
        {
            Address = "unix:///run/consul.sock",
            Token = "two words",
            TokenFile = "token.txt",
            CaFile = "missing-ca.pem",
            ClientCertFile = "missing-cert.pem",
            TlsServerName = "not a name",
            Namespace = "team!",
            Register = new() { Enabled = true, Name = "gw.1", Address = "not an address!", WanAddress = "host:70000" },
        };

        Assert.False(MeshGatewayComposer.TryCompose(Gateway(consul, baseDirectory: Path.GetTempPath()), out _, out IReadOnlyList<MeshGatewayOptionsProblem> errors));

        string[] lines = Lines(errors);
        string[] expected =
        [
            "$.consul.address: expected http(s)://host:port or host:port",
            "$.consul.token: the ACL token holds a space",
            "$.consul.tokenFile: give \"token\" or \"tokenFile\", not both.",
            "$.consul.caFile: the file \"missing-ca.pem\" does not exist",
            "$.consul.clientCertFile: the file \"missing-cert.pem\" does not exist",
            "$.consul.tlsServerName: \"not a name\" is not a DNS name.",
            "$.consul.namespace: namespace \"team!\"",
            "$.consul.register.name: service \"gw.1\"",
            "$.consul.register.address: expected an IP address or a host name, got \"not an address!\".",
            "$.consul.register.wanAddress: expected HOST or HOST:PORT, got \"host:70000\".",
        ];
        foreach (string line in expected)
        {
            Assert.Contains(lines, l => l.StartsWith(line, StringComparison.Ordinal));
        }

        Assert.Equal(expected.Length, lines.Length);
    }

    [Fact]
    public void Tls_files_need_an_https_address_and_a_client_certificate_needs_its_key()
    {
        string folder = Directory.CreateTempSubdirectory("meshgw-consul-").FullName;
        File.WriteAllText(Path.Combine(folder, "ca.pem"), "not checked here");
        File.WriteAllText(Path.Combine(folder, "cert.pem"), "not checked here");
        var consul = new MeshGatewayConsulOptions { Address = "127.0.0.1:8500", CaFile = "ca.pem", ClientCertFile = "cert.pem" };

        Assert.False(MeshGatewayComposer.TryCompose(Gateway(consul, baseDirectory: folder), out _, out IReadOnlyList<MeshGatewayOptionsProblem> errors));

        Assert.Equal(
            [
                "$.consul.clientCertFile: \"clientCertFile\" and \"clientKeyFile\" come together.",
                "$.consul.address: TLS files are given, but \"127.0.0.1:8500\" is not an https address.",
            ],
            Lines(errors));
    }

    [Fact]
    public void Registering_a_gateway_that_binds_every_address_needs_the_address_to_register()
    {
        var consul = new MeshGatewayConsulOptions { Register = new() { Enabled = true } };

        Assert.False(MeshGatewayComposer.TryCompose(Gateway(consul, "0.0.0.0:8443"), out _, out IReadOnlyList<MeshGatewayOptionsProblem> errors));
        Assert.True(MeshGatewayComposer.TryCompose(Gateway(new() { Register = new() { Enabled = true, Address = "10.0.0.9" } }, "0.0.0.0:8443"), out _, out _));

        Assert.Equal(["$.consul.register.address: required when the first listener binds every address (0.0.0.0): give the address other gateways dial."], Lines(errors));
    }

    [Fact]
    public void Upstream_listeners_refuse_a_consul_section_and_still_need_a_trust_domain()
    {
        var options = new MeshGatewayOptions
        {
            Mode = MeshGatewayRole.UpstreamListener,
            Datacenter = "dc1",
            Upstreams = [new() { Name = "db", Listen = "127.0.0.1:0", TargetDatacenter = "dc2", RemoteGateways = ["192.0.2.10:8443"] }],
            Consul = new() { Address = "127.0.0.1:8500" },
        };

        Assert.False(MeshGatewayComposer.TryCompose(options, out _, out IReadOnlyList<MeshGatewayOptionsProblem> errors));

        Assert.Equal(
            [
                "$.trustDomain: required.",
                "$.consul: only a mesh gateway follows a Consul agent; upstream listeners take their modes from \"entries\" (files), and meshgw resolve --consul reads live ones.",
            ],
            Lines(errors));
    }
}
