using MeshGateway.Testing;

namespace MeshGateway.Forwarding.Tests.Composition;

/// <summary>
/// Issue 17: upstream listeners resolve each upstream's mode from Consul config-entry files (HCL or JSON, read by
/// MeshGateway.Modes' reader) with Consul's full precedence; the file's own <c>mode</c> and <c>defaultMode</c> sit at
/// the upstream-definition and proxy-defaults layers. Every problem of the files is an error under its entry.
/// </summary>
public class MeshGatewayComposerEntriesTests
{
    private const string Td = "11111111-2222-3333-4444-555555555555.consul";

    private const string ProxyDefaultsLocal = """
        Kind = "proxy-defaults"
        Name = "global"
        MeshGateway {
          Mode = "local"
        }
        """;

    // The downstream "web" with a sidecar: the proxy asks for remote, "api" asks for none itself, "cache" says nothing.
    private const string WebSidecar = """
        service {
          name = "web"
          port = 8080
          connect {
            sidecar_service {
              proxy {
                mesh_gateway {
                  mode = "remote"
                }
                upstreams = [
                  {
                    destination_name = "api"
                    datacenter = "dc2"
                    local_bind_port = 10000
                    mesh_gateway {
                      mode = "none"
                    }
                  },
                  {
                    destination_name = "cache"
                    datacenter = "dc3"
                    local_bind_port = 10001
                  },
                ]
              }
            }
          }
        }
        """;

    private static readonly string[] Paths = ["gw/proxy-defaults.hcl", "gw/web.hcl"];

    private static string Folder(params (string Name, string Content)[] files) => TempFiles.Folder("meshgw-entries-", files);

    private static UpstreamListenerOptions Upstream(string name, string? targetDatacenter = null, string? mode = null) => new()
    {
        Name = name,
        Listen = "127.0.0.1:0",
        TargetDatacenter = targetDatacenter,
        Mode = mode,
        Instances = ["10.1.0.5:20000"],
        LocalGateways = ["127.0.0.1:8443"],
        RemoteGateways = ["192.0.2.10:8443"],
    };

    private static MeshGatewayOptions Sidecar(string folder, IReadOnlyList<string> entries, string? service, string? defaultMode, params UpstreamListenerOptions[] upstreams) => new()
    {
        Mode = MeshGatewayRole.UpstreamListener,
        Datacenter = "dc1",
        TrustDomain = Td,
        BaseDirectory = folder,
        Entries = entries,
        Service = service,
        DefaultMode = defaultMode,
        Upstreams = upstreams,
    };

    private static string[] Lines(IEnumerable<MeshGatewayOptionsProblem> problems) => [.. problems.Select(p => p.ToString())];

    [Fact]
    public void The_proxy_registration_decides_with_consuls_full_precedence_named_by_the_proxys_own_name()
    {
        string folder = Folder(("gw/proxy-defaults.hcl", ProxyDefaultsLocal), ("gw/web.hcl", WebSidecar));

        MeshGatewayComposition composition = MeshGatewayComposer.Compose(Sidecar(folder, Paths, "web-sidecar-proxy", null, Upstream("api"), Upstream("cache")));

        Assert.Equal(
            [
                "upstream api -> dc2: mode none (from Upstream), path Direct via 10.1.0.5:20000",
                "upstream cache -> dc3: mode remote (from Proxy), path RemoteGateway via 192.0.2.10:8443",
            ],
            composition.Listeners.Select(l => l.Description));
    }

    [Fact]
    public void The_files_own_mode_is_the_upstream_definition_and_wins_over_the_registrations()
    {
        string folder = Folder(("gw/proxy-defaults.hcl", ProxyDefaultsLocal), ("gw/web.hcl", WebSidecar));

        MeshGatewayComposition composition = MeshGatewayComposer.Compose(Sidecar(folder, Paths, "web", "remote", Upstream("api", mode: "local"), Upstream("cache", targetDatacenter: "dc2")));

        Assert.Equal(
            [
                "upstream api -> dc2: mode local (from Upstream), path LocalGateway via 127.0.0.1:8443",
                "upstream cache -> dc2: mode remote (from Proxy), path RemoteGateway via 192.0.2.10:8443",
            ],
            composition.Listeners.Select(l => l.Description));
    }

    [Fact]
    public void Without_a_service_the_entries_proxy_defaults_and_the_targets_service_defaults_apply_and_default_mode_wins_over_proxy_defaults()
    {
        string folder = Folder(
            ("proxy-defaults.json", """{ "Kind": "proxy-defaults", "Name": "global", "MeshGateway": { "Mode": "local" } }"""),
            ("db-defaults.json", """{ "Kind": "service-defaults", "Name": "db", "MeshGateway": { "Mode": "remote" } }"""));
        string[] entries = ["proxy-defaults.json", "db-defaults.json"];

        MeshGatewayComposition fromEntries = MeshGatewayComposer.Compose(Sidecar(folder, entries, null, null, Upstream("api", "dc2"), Upstream("db", "dc2")));
        MeshGatewayComposition fileWins = MeshGatewayComposer.Compose(Sidecar(folder, entries, null, "none", Upstream("api", "dc2")));

        Assert.Equal(
            [
                "upstream api -> dc2: mode local (from ProxyDefaults), path LocalGateway via 127.0.0.1:8443",
                "upstream db -> dc2: mode local (from ProxyDefaults), path LocalGateway via 127.0.0.1:8443",
            ],
            fromEntries.Listeners.Select(l => l.Description));
        Assert.Equal("upstream api -> dc2: mode none (from ProxyDefaults), path Direct via 10.1.0.5:20000", Assert.Single(fileWins.Listeners).Description);
    }

    [Fact]
    public void The_targets_own_service_defaults_is_the_last_layer()
    {
        string folder = Folder(("db-defaults.json", """{ "Kind": "service-defaults", "Name": "db", "MeshGateway": { "Mode": "remote" } }"""));

        MeshGatewayComposition composition = MeshGatewayComposer.Compose(Sidecar(folder, ["db-defaults.json"], null, null, Upstream("db", "dc2")));

        Assert.Equal("upstream db -> dc2: mode remote (from TargetServiceDefaults), path RemoteGateway via 192.0.2.10:8443", Assert.Single(composition.Listeners).Description);
    }

    [Fact]
    public void Relative_entries_are_read_from_the_base_directory_and_absolute_ones_as_they_are()
    {
        string folder = Folder(("gw/web.hcl", WebSidecar));
        string absolute = Path.Combine(Folder(("proxy-defaults.hcl", ProxyDefaultsLocal)), "proxy-defaults.hcl");

        MeshGatewayComposition composition = MeshGatewayComposer.Compose(Sidecar(folder, [absolute, "gw/../gw/web.hcl"], "web", null, Upstream("api")));

        Assert.StartsWith("upstream api -> dc2: mode none (from Upstream)", Assert.Single(composition.Listeners).Description, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_problem_of_every_file_is_an_error_under_its_entry_with_file_line_and_column()
    {
        string folder = Folder(
            ("gw/web.hcl", WebSidecar),
            ("gw/bad.hcl", "Kind = \"proxy-defaults\"\nName = \"global\"\nMeshGateway {\n  Mode = \"Local\"\n}\n"),
            ("gw/unknown.json", """{ "Kind": "mystery", "Name": "x" }"""),
            ("gw/shape.json", """{ "Something": "else" }"""));
        string[] entries = ["gw/web.hcl", "gw/bad.hcl", "gw/unknown.json", "gw/missing.hcl", "gw/./web.hcl", "gw/shape.json", " "];

        Assert.False(MeshGatewayComposer.TryCompose(Sidecar(folder, entries, "web", null, Upstream("api")), out _, out IReadOnlyList<MeshGatewayOptionsProblem> errors));

        string[] lines = Lines(errors);
        Assert.Contains(lines, l => l.StartsWith("$.entries[1]: gw/bad.hcl:4:10: proxy-defaults \"global\": MeshGateway.Mode: Invalid Mesh Gateway Mode: \"Local\"", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("$.entries[2]: gw/unknown.json:", StringComparison.Ordinal) && l.Contains("\"mystery\"", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("$.entries[3]: gw/missing.hcl: document: cannot read the file", StringComparison.Ordinal));
        Assert.Contains("$.entries[4]: the same file as entries[0].", lines);
        Assert.Contains(lines, l => l.StartsWith("$.entries[5]: gw/shape.json", StringComparison.Ordinal) && l.Contains("unrecognised document", StringComparison.Ordinal));
        Assert.Contains("$.entries[6]: expected a file path, got \" \".", lines);
        Assert.Equal(6, lines.Length);
    }

    [Fact]
    public void A_service_without_a_registration_and_an_undeclared_upstream_are_errors_at_their_paths()
    {
        string folder = Folder(("gw/web.hcl", WebSidecar));

        Assert.False(MeshGatewayComposer.TryCompose(Sidecar(folder, ["gw/web.hcl"], "billing", null, Upstream("api")), out _, out IReadOnlyList<MeshGatewayOptionsProblem> noService));
        Assert.False(MeshGatewayComposer.TryCompose(Sidecar(folder, ["gw/web.hcl"], "web", null, Upstream("api"), Upstream("db")), out _, out IReadOnlyList<MeshGatewayOptionsProblem> undeclared));

        Assert.StartsWith("$.service: no proxy registration for \"billing\" in the entries", Assert.Single(Lines(noService)), StringComparison.Ordinal);
        Assert.Equal(["$.upstreams[1].name: service \"web\" declares no upstream \"db\" in the entries."], Lines(undeclared));
    }

    [Fact]
    public void A_service_needs_entries_and_without_a_service_each_upstream_needs_its_target_datacenter()
    {
        Assert.False(MeshGatewayComposer.TryCompose(Sidecar(Path.GetTempPath(), [], "web", null, Upstream("api")), out _, out IReadOnlyList<MeshGatewayOptionsProblem> noEntries));
        Assert.False(MeshGatewayComposer.TryCompose(Sidecar(Path.GetTempPath(), [], null, null, Upstream("api")), out _, out IReadOnlyList<MeshGatewayOptionsProblem> noTarget));
        Assert.False(MeshGatewayComposer.TryCompose(Sidecar(Path.GetTempPath(), [], "we b", null, Upstream("api")), out _, out IReadOnlyList<MeshGatewayOptionsProblem> badName));

        Assert.Equal(["$.service: needs entries: the service's proxy registration is read from them."], Lines(noEntries));
        Assert.Equal(["$.upstreams[0].targetDatacenter: required."], Lines(noTarget));
        Assert.Contains(Lines(badName), l => l.StartsWith("$.service: service \"we b\" has the character U+0020", StringComparison.Ordinal));
    }

    [Fact]
    public void A_mesh_gateway_refuses_entries_and_a_service()
    {
        var options = new MeshGatewayOptions
        {
            Datacenter = "dc1",
            TrustDomain = Td,
            Listeners = ["127.0.0.1:0"],
            Entries = ["proxy-defaults.hcl"],
            Service = "web",
        };

        Assert.False(MeshGatewayComposer.TryCompose(options, out _, out IReadOnlyList<MeshGatewayOptionsProblem> errors));

        Assert.Equal(
            [
                "$.entries: only upstream listeners read config entries (they decide upstream modes); a mesh gateway routes by SNI whatever the modes.",
                "$.service: only upstream listeners name the service whose upstreams they are.",
            ],
            Lines(errors));
    }
}
