using MeshGateway.Testing;

namespace MeshGateway.Cli.Tests.Run;

/// <summary>
/// Issue 17: <c>meshgw run --check</c> with an <c>entries</c> list (HCL and JSON files, relative to the configuration
/// file's folder) and with a <c>consul</c> section; every problem at its JSON path, exit 2.
/// </summary>
public class RunEntriesAndConsulTests
{
    private const string Td = "11111111-2222-3333-4444-555555555555.consul";

    // Consul's documentation forms: an HCL config entry, a JSON one as `consul config write` takes it, an HCL registration.
    private const string ProxyDefaultsHcl = """
        Kind = "proxy-defaults"
        Name = "global"
        MeshGateway {
          Mode = "local"
        }
        """;

    private const string WebDefaultsJson = """
        { "Kind": "service-defaults", "Name": "web", "UpstreamConfig": { "Overrides": [ { "Name": "db", "MeshGateway": { "Mode": "remote" } } ] } }
        """;

    private const string WebRegistrationHcl = """
        service {
          name = "web"
          port = 8080
          connect {
            sidecar_service {
              proxy {
                upstreams = [
                  {
                    destination_name = "db"
                    datacenter = "dc2"
                    local_bind_port = 9191
                  },
                  {
                    destination_name = "cache"
                    datacenter = "dc2"
                    local_bind_port = 9192
                  },
                ]
              }
            }
          }
        }
        """;

    private static string Folder(params (string Name, string Content)[] files) => TempFiles.Folder("meshgw-run-entries-", files);

    [Fact]
    public void Check_prints_each_upstreams_mode_the_deciding_layer_and_the_path_from_hcl_and_json_entries()
    {
        string folder = Folder(
            ("gw/proxy-defaults.hcl", ProxyDefaultsHcl),
            ("gw/web-defaults.json", WebDefaultsJson),
            ("gw/web.hcl", WebRegistrationHcl),
            ("sidecar.json", $$"""
                {
                  "mode": "upstream-listener", "datacenter": "dc1", "trustDomain": "{{Td}}",
                  "entries": [ "gw/proxy-defaults.hcl", "gw/web-defaults.json", "gw/web.hcl" ],
                  "service": "web-sidecar-proxy",
                  "upstreams": [
                    { "name": "db", "listen": "127.0.0.1:0", "localGateways": [ "127.0.0.1:8443" ], "remoteGateways": [ "127.0.0.1:9443" ] },
                    { "name": "cache", "listen": "127.0.0.1:0", "localGateways": [ "127.0.0.1:8443" ], "remoteGateways": [ "127.0.0.1:9443" ] }
                  ]
                }
                """));

        // Run from elsewhere: the entries are found next to the configuration file, not in the current directory.
        var (code, output, error) = CliRunner.Run("run", "--config", Path.Combine(folder, "sidecar.json"), "--check");

        Assert.True(code == 0, error);
        Assert.Contains("would listen on 127.0.0.1:0: upstream db -> dc2: mode remote (from UpstreamOverride), path RemoteGateway via 127.0.0.1:9443", output, StringComparison.Ordinal);
        Assert.Contains("would listen on 127.0.0.1:0: upstream cache -> dc2: mode local (from ProxyDefaults), path LocalGateway via 127.0.0.1:8443", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_entry_problem_is_listed_under_its_entry_with_file_line_and_column_and_exits_2()
    {
        string folder = Folder(
            ("gw/web.hcl", WebRegistrationHcl),
            ("gw/bad.hcl", "Kind = \"service-defaults\"\nName = \"web\"\nMeshGateway {\n  Mode = \"sideways\"\n}\n"),
            ("gw/odd.json", """{ "Kind": "ingress-thing", "Name": "x" }"""),
            ("sidecar.json", $$"""
                {
                  "mode": "upstream-listener", "datacenter": "dc1", "trustDomain": "{{Td}}",
                  "entries": [ "gw/web.hcl", "gw/bad.hcl", "gw/odd.json" ],
                  "service": "web",
                  "upstreams": [ { "name": "db", "listen": "127.0.0.1:0", "remoteGateways": [ "127.0.0.1:9443" ] } ]
                }
                """));

        var (code, _, error) = CliRunner.Run("run", "--config", Path.Combine(folder, "sidecar.json"), "--check");

        Assert.Equal(2, code);
        Assert.Contains("2 error(s)", error, StringComparison.Ordinal);
        Assert.Contains("  $.entries[1]: gw/bad.hcl:4:10: service-defaults \"web\": MeshGateway.Mode: Invalid Mesh Gateway Mode: \"sideways\"", error, StringComparison.Ordinal);
        Assert.Contains("  $.entries[2]: gw/odd.json:", error, StringComparison.Ordinal);
        Assert.Contains("\"ingress-thing\"", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_mesh_gateway_with_a_consul_section_checks_and_says_whom_it_follows_and_registers_as()
    {
        string folder = Folder(("gw.json", """
            {
              "datacenter": "dc1",
              "listeners": [ "127.0.0.1:0" ],
              "services": [ { "name": "web", "endpoints": [ "127.0.0.1:9001" ] } ],
              "consul": { "address": "127.0.0.1:8500", "register": { "enabled": true, "name": "gw-east" } }
            }
            """));

        var (code, output, error) = CliRunner.Run("run", "--config", Path.Combine(folder, "gw.json"), "--check");

        Assert.True(code == 0, error);
        Assert.Contains("would follow the Consul agent at http://127.0.0.1:8500/ (trust domain from its CA roots), the file's 1 service(s) and 0 remote gateway(s) added and winning on a conflict", output, StringComparison.Ordinal);
        Assert.Contains("would register as gw-east (kind mesh-gateway) once listening, and deregister on drain", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Consul_with_several_listeners_sni_and_namespaced_services_proxy_protocol_and_metrics_checks_clean()
    {
        // Each of these was once refused with consul (the runner had one listener and no metrics lines, the agent's
        // route table took no PROXY header and static services by name in the default namespace only).
        string folder = Folder(("gw.json", $$"""
            {
              "datacenter": "dc1", "trustDomain": "{{Td}}",
              "listeners": [ "127.0.0.1:0", "[::1]:0" ],
              "services": [ { "sni": "v1.web.default.dc1.internal.{{Td}}", "endpoints": [ "127.0.0.1:9001" ] },
                            { "name": "billing", "namespace": "finance", "endpoints": [ "127.0.0.1:9002" ] } ],
              "proxyProtocol": "v2",
              "metrics": { "printInterval": "30s" },
              "consul": { "address": "127.0.0.1:8500", "tokenFile": "no-such-token" }
            }
            """));

        var (code, _, error) = CliRunner.Run("run", "--config", Path.Combine(folder, "gw.json"), "--check");

        Assert.Equal(2, code);
        Assert.Contains("  $.consul.tokenFile: the file \"no-such-token\" does not exist", error, StringComparison.Ordinal);
        Assert.Contains("1 error(s)", error, StringComparison.Ordinal);

        File.WriteAllText(Path.Combine(folder, "no-such-token"), "t0ken");
        (code, string output, error) = CliRunner.Run("run", "--config", Path.Combine(folder, "gw.json"), "--check");

        Assert.True(code == 0, error);
        Assert.Contains("would listen on 127.0.0.1:0: ", output, StringComparison.Ordinal);
        Assert.Contains("would listen on [::1]:0: ", output, StringComparison.Ordinal);
        Assert.Contains("would follow the Consul agent at http://127.0.0.1:8500/ (trust domain " + Td + "), the file's 2 service(s)", output, StringComparison.Ordinal);
    }
}
