namespace MeshGateway.Cli.Tests.Resolve;

/// <summary>
/// Issue 17's reproductions, through <c>meshgw resolve --entries</c> repeated: files as Consul writes them (HCL or JSON;
/// one config entry, one registration or the combined form) give Consul's answer, and an unknown kind or shape is
/// exit 2 naming file, line and column.
/// </summary>
public sealed class ResolveFilesTests : IDisposable
{
    /// <summary>The proxy-defaults example of Consul's mesh gateway page, as <c>consul config write</c> takes it.</summary>
    private const string ProxyDefaultsHcl = """
        Kind = "proxy-defaults"
        Name = "global"
        MeshGateway {
          Mode = "local"
        }
        """;

    /// <summary>A service with a sidecar whose upstream is in another datacenter, as an agent configuration file.</summary>
    private const string WebHcl = """
        service {
          name = "web"
          port = 8080
          connect {
            sidecar_service {
              proxy {
                upstreams = [
                  {
                    destination_name = "api"
                    datacenter = "secondary"
                    local_bind_port = 10000
                  },
                ]
              }
            }
          }
        }
        """;

    private const string LocalGateway = "{\"mode\":\"local\",\"source\":\"proxy-defaults\",\"path\":\"local-gateway\"}";

    private readonly string _directory = Directory.CreateTempSubdirectory("meshgw-files-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string Write(string name, string content)
    {
        string path = Path.Combine(_directory, name);
        File.WriteAllText(path, content);
        return path;
    }

    [Fact]
    public void Hcl_files_from_consuls_documentation_resolve_as_consul_does()
    {
        // Before: 'K' is an invalid start of a value.
        var (code, output, error) = CliRunner.Run(
            "resolve", "--entries", Write("proxy-defaults.hcl", ProxyDefaultsHcl), "--entries", Write("web.hcl", WebHcl),
            "--service", "web", "--upstream", "api");

        Assert.Equal((0, ""), (code, error));
        Assert.Equal(LocalGateway + Environment.NewLine, output);
    }

    [Fact]
    public void A_bare_json_config_entry_is_read_not_ignored()
    {
        // Before: silently ignored, and the answer was default / unset / direct with exit 0.
        string entry = Write("proxy-defaults.json", """{"Kind": "proxy-defaults", "Name": "global", "MeshGateway": {"Mode": "local"}}""");

        var (code, output, error) = CliRunner.Run(
            "resolve", "--entries", entry, "--entries", Write("web.hcl", WebHcl), "--service", "web", "--upstream", "api");

        Assert.Equal((0, ""), (code, error));
        Assert.Equal(LocalGateway + Environment.NewLine, output);
    }

    [Theory]
    [InlineData("web")]
    [InlineData("web-sidecar-proxy")]
    public void Service_accepts_the_destination_or_the_proxys_own_name(string service)
    {
        // Before: --service web-sidecar-proxy failed with "no proxy registration".
        var (code, output, error) = CliRunner.Run(
            "resolve", "--entries", Write("proxy-defaults.hcl", ProxyDefaultsHcl), "--entries", Write("web.hcl", WebHcl),
            "--service", service, "--upstream", "api");

        Assert.Equal((0, ""), (code, error));
        Assert.Equal(LocalGateway + Environment.NewLine, output);
    }

    [Fact]
    public void An_unknown_kind_in_hcl_is_exit_2_naming_file_line_and_column()
    {
        string path = Write("proxy-defaults.hcl", "Name = \"global\"\nKind = \"proxy-default\"\n");

        var (code, output, error) = CliRunner.Run(
            "resolve", "--entries", path, "--entries", Write("web.hcl", WebHcl), "--service", "web", "--upstream", "api");

        Assert.Equal(2, code);
        Assert.Empty(output);
        Assert.Equal(
            $"{path}:2:8: config entry: Kind: invalid config entry kind \"proxy-default\"; expected \"proxy-defaults\", \"service-defaults\" or another Consul kind (service-resolver, mesh, …)"
            + Environment.NewLine,
            error);
    }

    [Fact]
    public void An_unknown_kind_inside_a_json_list_is_exit_2_naming_file_line_and_column()
    {
        string path = Write("entries.json", "{\n  \"ConfigEntries\": [\n    { \"Kind\": \"proxy-defaults\", \"Name\": \"global\" },\n    { \"Kind\": \"servicedefaults\", \"Name\": \"web\" }\n  ]\n}\n");

        var (code, _, error) = CliRunner.Run("resolve", "--entries", path, "--entries", Write("web.hcl", WebHcl), "--service", "web", "--upstream", "api");

        Assert.Equal(2, code);
        Assert.StartsWith($"{path}:4:15: ConfigEntries[1]: Kind: invalid config entry kind \"servicedefaults\"", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("other.json", "{\n  \"Node\": \"node-a\"\n}\n", "1:1")]
    [InlineData("other.hcl", "\n\nnode_name = \"node-a\"\n", "1:1")]
    public void An_unknown_shape_is_exit_2_naming_file_line_and_column(string name, string content, string position)
    {
        string path = Write(name, content);

        var (code, output, error) = CliRunner.Run("resolve", "--entries", path, "--service", "web", "--upstream", "api");

        Assert.Equal(2, code);
        Assert.Empty(output);
        Assert.StartsWith($"{path}:{position}: document: unrecognised document: expected a config entry (a top-level Kind)", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_file_with_errors_is_reported_not_only_the_first()
    {
        string first = Write("a.hcl", "Kind = \"proxy-defaults\"\nMeshGateway {\n  Mode = \"Local\"\n}\n");
        string second = Write("b.json", "{\"Kind\": \"service-defaults\", \"Name\": \"web\", \"MeshGateway\": {\"Mode\": \"nowhere\"}}");

        var (code, _, error) = CliRunner.Run("resolve", "--entries", first, "--entries", second, "--service", "web", "--upstream", "api");

        Assert.Equal(2, code);
        Assert.Equal(
            $"{first}:3:10: proxy-defaults \"global\": MeshGateway.Mode: Invalid Mesh Gateway Mode: \"Local\"{Environment.NewLine}"
            + $"{second}:1:69: service-defaults \"web\": MeshGateway.Mode: Invalid Mesh Gateway Mode: \"nowhere\"{Environment.NewLine}",
            error);
    }

    [Fact]
    public void The_same_entry_in_two_files_is_an_error()
    {
        string a = Write("a.hcl", ProxyDefaultsHcl);
        string b = Write("b.hcl", ProxyDefaultsHcl);

        var (code, _, error) = CliRunner.Run("resolve", "--entries", a, "--entries", b, "--entries", Write("web.hcl", WebHcl), "--service", "web", "--upstream", "api");

        Assert.Equal(2, code);
        Assert.StartsWith($"{b}:1:1: proxy-defaults \"global\": duplicate proxy-defaults entry", error, StringComparison.Ordinal);
    }
}
