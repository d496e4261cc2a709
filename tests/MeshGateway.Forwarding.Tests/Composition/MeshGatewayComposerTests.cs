namespace MeshGateway.Forwarding.Tests.Composition;

/// <summary>The one composer: every problem of a <see cref="MeshGatewayOptions"/> at once, each at its own path.</summary>
public class MeshGatewayComposerTests
{
    private const string Td = "11111111-2222-3333-4444-555555555555.consul";

    private static string[] Lines(IEnumerable<MeshGatewayOptionsProblem> problems) => [.. problems.Select(p => p.ToString())];

    [Fact]
    public void A_mesh_gateway_composes_one_listener_per_address_and_describes_its_routes()
    {
        var options = new MeshGatewayOptions
        {
            Datacenter = "dc1",
            TrustDomain = Td,
            Listeners = ["127.0.0.1:0", "[::1]:0"],
            Services = [new() { Name = "web", Endpoints = ["10.0.0.5:20000"] }, new() { Sni = "v1.web.default.dc1.internal." + Td, Endpoints = ["10.0.0.8:20000"] }],
            RemoteGateways = [new() { Datacenter = "dc2", Endpoints = ["192.0.2.10:8443"] }],
            Timeouts = new() { Idle = TimeSpan.FromMinutes(2) },
        };

        MeshGatewayComposition composition = MeshGatewayComposer.Compose(options);

        Assert.Equal(["127.0.0.1:0", "[::1]:0"], composition.Listeners.Select(l => l.EndPoint.ToString()));
        Assert.All(composition.Listeners, l => Assert.True(l.SniffsClientHello));
        Assert.Equal(
            [
                $"serves web.default.dc1.internal.{Td} -> 10.0.0.5:20000",
                $"serves v1.web.default.dc1.internal.{Td} -> 10.0.0.8:20000",
                $"serves *.dc2.internal.{Td} -> dc2 gateways 192.0.2.10:8443",
            ],
            composition.Routes);
        Assert.Equal(TimeSpan.FromMinutes(2), composition.CreateForwarderOptions().IdleTimeout);
        Assert.Empty(composition.Warnings);
    }

    [Fact]
    public void Every_problem_is_reported_at_once_each_at_its_own_path()
    {
        var options = new MeshGatewayOptions
        {
            Datacenter = "DC1",
            Partition = "p 1",
            Listeners = ["127.0.0.1", "nowhere:1"],
            Services =
            [
                new() { Name = "Web!", Endpoints = ["10.0.0.5:20000"] },
                new() { Name = "api", Sni = "api.example", Endpoints = [] },
                null!,
            ],
            RemoteGateways = [new() { Partition = "p!", Endpoints = ["not an endpoint"] }],
            Timeouts = new() { Connect = TimeSpan.Zero, Drain = TimeSpan.Zero },
            Limits = new() { MaxConnectAttempts = 17, BufferSize = 10 },
        };

        Assert.False(MeshGatewayComposer.TryCompose(options, out MeshGatewayComposition? composition, out IReadOnlyList<MeshGatewayOptionsProblem> errors));

        Assert.Null(composition);
        string[] lines = Lines(errors);
        Assert.Equal(
            [
                "$.datacenter",
                "$.partition",
                "$.trustDomain",
                "$.listeners[0]",
                "$.listeners[1]",
                "$.listeners",
                "$.services[0].name",
                "$.services[1]",
                "$.services[1].endpoints",
                "$.services[2]",
                "$.remoteGateways[0].datacenter",
                "$.remoteGateways[0].partition",
                "$.remoteGateways[0].endpoints[0]",
                "$.timeouts.connect",
                "$.limits.maxConnectAttempts",
                "$.limits.bufferSize",
            ],
            lines.Select(l => l[..l.IndexOf(": ", StringComparison.Ordinal)]));
        Assert.Contains("$.datacenter: datacenter cannot be \"DC1\". Please use only [a-z0-9-_]. Consul's agent lower-cases datacenter names, so the datacenter Consul uses is \"dc1\": write that.", lines);
        Assert.Contains("$.trustDomain: required.", lines);
        Assert.Contains(lines, l => l.StartsWith("$.listeners[0]: expected \"IP:PORT\", got \"127.0.0.1\": no port", StringComparison.Ordinal));
        Assert.Contains("$.services[1]: give exactly one of \"name\" (served as NAME.<namespace>.<datacenter>.internal.<trust domain>) or \"sni\".", lines);
        Assert.Contains("$.services[2]: expected an object, got null.", lines);
        Assert.Contains("$.timeouts.connect: expected a duration from \"1ms\" to \"4294967294ms\" (about 49.7 days), got 00:00:00.", lines);
        Assert.Contains("$.limits.maxConnectAttempts: expected an integer from 1 to 16, got 17.", lines);
    }

    [Fact]
    public void Two_entries_for_one_route_are_reported_at_the_second_naming_the_first()
    {
        var options = new MeshGatewayOptions
        {
            Datacenter = "dc1",
            TrustDomain = Td,
            Listeners = ["127.0.0.1:0"],
            Services = [new() { Name = "api", Endpoints = ["10.0.0.1:1"] }, new() { Name = "API", Namespace = "default", Endpoints = ["10.0.0.2:1"] }],
            RemoteGateways = [new() { Datacenter = "dc2", Endpoints = ["10.0.0.3:1"] }, new() { Datacenter = "dc2", Partition = "default", Endpoints = ["10.0.0.4:1"] }],
        };

        Assert.False(MeshGatewayComposer.TryCompose(options, out _, out IReadOnlyList<MeshGatewayOptionsProblem> errors));

        Assert.Equal(
            [
                "$.services[1].name: the same route as services[0] (names compare case-insensitively).",
                "$.remoteGateways[1].datacenter: the same route as remoteGateways[0] (names compare case-insensitively).",
            ],
            Lines(errors));
    }

    [Theory]
    [InlineData(null, "remote", "RemoteGateway")]
    [InlineData("", "remote", "RemoteGateway")]
    [InlineData("none", "none", "Direct")]
    [InlineData("local", "local", "LocalGateway")]
    public void Upstream_modes_are_consul_words_resolved_by_the_modes_resolver(string? mode, string resolved, string path)
    {
        var options = new MeshGatewayOptions
        {
            Mode = MeshGatewayRole.UpstreamListener,
            Datacenter = "dc1",
            TrustDomain = Td,
            DefaultMode = "remote",
            Upstreams =
            [
                new() { Name = "db", Listen = "127.0.0.1:0", TargetDatacenter = "dc2", Mode = mode, Instances = ["10.1.0.5:20000"], LocalGateways = ["127.0.0.1:8443"], RemoteGateways = ["192.0.2.10:8443"] },
            ],
        };

        ListenerPlan listener = Assert.Single(MeshGatewayComposer.Compose(options).Listeners);

        Assert.False(listener.SniffsClientHello);
        Assert.StartsWith($"upstream db -> dc2: mode {resolved} (", listener.Description, StringComparison.Ordinal);
        Assert.Contains($"path {path} via", listener.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void Mode_word_default_reads_as_the_default_mode_with_a_warning_and_other_words_are_errors()
    {
        MeshGatewayOptions Sidecar(string defaultMode, string? upstreamMode) => new()
        {
            Mode = MeshGatewayRole.UpstreamListener,
            Datacenter = "dc1",
            TrustDomain = Td,
            DefaultMode = defaultMode,
            Upstreams = [new() { Name = "db", Listen = "127.0.0.1:0", TargetDatacenter = "dc2", Mode = upstreamMode, Instances = ["10.1.0.5:20000"] }],
        };

        MeshGatewayComposition warned = MeshGatewayComposer.Compose(Sidecar("default", null));
        Assert.False(MeshGatewayComposer.TryCompose(Sidecar("", "Local"), out _, out IReadOnlyList<MeshGatewayOptionsProblem> errors));

        Assert.Equal(["$.defaultMode: \"default\" is not a Consul mode word; write \"\" (or leave the key out) for the default mode."], Lines(warned.Warnings));
        Assert.Equal(["$.upstreams[0].mode: Invalid Mesh Gateway Mode: \"Local\"; expected \"\" (the default), \"none\", \"local\" or \"remote\"."], Lines(errors));
    }

    [Fact]
    public void An_upstream_whose_resolved_path_has_no_endpoints_is_reported_at_its_index()
    {
        var options = new MeshGatewayOptions
        {
            Mode = MeshGatewayRole.UpstreamListener,
            Datacenter = "dc1",
            TrustDomain = Td,
            Upstreams =
            [
                new() { Name = "ok", Listen = "127.0.0.1:0", TargetDatacenter = "dc2", Mode = "none", Instances = ["10.1.0.5:20000"] },
                new() { Name = "db", Listen = "127.0.0.1:0", TargetDatacenter = "dc2", Mode = "local", Instances = ["10.1.0.5:20000"] },
            ],
        };

        Assert.False(MeshGatewayComposer.TryCompose(options, out _, out IReadOnlyList<MeshGatewayOptionsProblem> errors));

        Assert.Equal(["$.upstreams[1]: mode local (from Upstream) dials LocalGateway, but no endpoints are listed for it."], Lines(errors));
    }

    [Fact]
    public void Paths_already_reported_by_a_reader_are_not_reported_again()
    {
        MeshGatewayOptionsProblem[] reported = [new(["Datacenter"], "expected a single value, got an object."), new(["Services", "0", "Endpoints"], "expected a list, got \"x\".")];
        var options = new MeshGatewayOptions { TrustDomain = Td, Listeners = ["127.0.0.1:0"], Services = [new() { Name = "web" }] };

        Assert.False(MeshGatewayComposer.TryCompose(options, reported, out MeshGatewayComposition? composition, out IReadOnlyList<MeshGatewayOptionsProblem> errors));

        Assert.Null(composition);
        Assert.Empty(errors);
    }

    [Fact]
    public void A_path_renders_as_json_and_as_a_configuration_key()
    {
        var problem = new MeshGatewayOptionsProblem(["Upstreams", "12", "TargetDatacenter"], "required.");

        Assert.Equal("$.upstreams[12].targetDatacenter", problem.ToJsonPath());
        Assert.Equal("MeshGateway:Upstreams:12:TargetDatacenter", problem.ToConfigurationPath("MeshGateway"));
        Assert.Equal("$.UPSTREAMS[12].TARGETDATACENTER", problem.ToJsonPath((_, name) => name.ToUpperInvariant()));
        Assert.Equal("$: required.", new MeshGatewayOptionsProblem([], "required.").ToString());
    }

    [Fact]
    public void Hostile_values_are_escaped_in_messages()
    {
        var options = new MeshGatewayOptions { Datacenter = "dc1", TrustDomain = Td, Listeners = ["1.2.3.4:1\n\u001b[31mforged"] };

        Assert.False(MeshGatewayComposer.TryCompose(options, out _, out IReadOnlyList<MeshGatewayOptionsProblem> errors));

        string message = Assert.Single(errors, e => e.ToJsonPath() == "$.listeners[0]").Message;
        Assert.DoesNotContain('\n', message);
        Assert.DoesNotContain('\u001b', message);
        Assert.Contains("\\n\\u001B[31mforged", message, StringComparison.Ordinal);
    }
}
