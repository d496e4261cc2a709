namespace MeshGateway.Cli.Tests.Resolve;

/// <summary>
/// Issue 17's reproductions, through <c>meshgw resolve --entries</c> repeated: files as Consul writes them (HCL or JSON;
/// one config entry, one registration or the combined form) give Consul's answer, and an unknown kind or shape is
/// exit 2 naming file, line and column.
/// </summary>
public sealed class ResolveFilesTests : IDisposable
{
    private const string LocalGateway = "{\"mode\":\"local\",\"source\":\"proxy-defaults\",\"path\":\"local-gateway\"}";

    private readonly string _directory = Directory.CreateTempSubdirectory("meshgw-files-").FullName;

    /// <summary>The proxy-defaults example of Consul's mesh gateway page, as <c>consul config write</c> takes it (a shared fixture).</summary>
    private static string ProxyDefaultsHcl => Fixture("proxy-defaults.hcl");

    /// <summary>"web" with a sidecar whose upstream "api" is in dc2, as an agent configuration file (a shared fixture).</summary>
    private static string WebHcl => Fixture("web-sidecar.hcl");

    /// <summary>
    /// Every row of the HCL fixtures' README table (file, the file read with it, service / upstream, answer), run through
    /// the real <c>meshgw resolve --entries</c>, in HCL and in JSON.
    /// </summary>
    public static TheoryData<string, string, string, string, string> FixtureRows()
    {
        var rows = new TheoryData<string, string, string, string, string>();
        foreach (string line in File.ReadAllLines(Path.Combine(FixtureFolder(), "README.md")).Where(l => l.StartsWith("| ", StringComparison.Ordinal)).Skip(1))
        {
            string[] cells = line.Split('|', StringSplitOptions.TrimEntries);
            string[] lookup = cells[4].Split(" / ");
            string[] answer = cells[5].Split(" / ");
            foreach (string service in lookup[0].Split(" or "))
            {
                foreach (string extension in new[] { ".hcl", ".json" })
                {
                    rows.Add(cells[1] + extension, cells[3] == "alone" ? "" : cells[3] + extension, service, lookup[1],
                        $"{{\"mode\":\"{answer[0]}\",\"source\":\"{answer[1]}\",\"path\":\"{answer[2]}\"}}");
                }
            }
        }

        return rows;
    }

    [Theory]
    [MemberData(nameof(FixtureRows))]
    public void Every_fixture_of_consuls_documented_constructs_gives_its_answer_through_the_cli(string file, string with, string service, string upstream, string expected)
    {
        string[] entries = with.Length == 0 ? ["--entries", Fixture(file)] : ["--entries", Fixture(file), "--entries", Fixture(with)];

        var (code, output, error) = CliRunner.Run(["resolve", .. entries, "--service", service, "--upstream", upstream]);

        Assert.Equal((0, ""), (code, error));
        Assert.Equal(expected + Environment.NewLine, output);
    }

    [Fact]
    public void The_fixture_table_yields_each_row_in_hcl_and_json()
    {
        // Seven rows, one with two --service spellings: eight lookups, each in both syntaxes.
        Assert.Equal(16, FixtureRows().Count);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static string Fixture(string name) => Path.Combine(FixtureFolder(), name);

    /// <summary>The HCL/JSON fixtures of MeshGateway.Modes.Tests, found above the test's folder in the repository.</summary>
    private static string FixtureFolder()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            string candidate = Path.Combine(directory.FullName, "tests", "MeshGateway.Modes.Tests", "ConfigEntries", "Hcl", "TestData");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("tests/MeshGateway.Modes.Tests/ConfigEntries/Hcl/TestData not found above " + AppContext.BaseDirectory);
    }

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
            "resolve", "--entries", ProxyDefaultsHcl, "--entries", WebHcl,
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
            "resolve", "--entries", entry, "--entries", WebHcl, "--service", "web", "--upstream", "api");

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
            "resolve", "--entries", ProxyDefaultsHcl, "--entries", WebHcl,
            "--service", service, "--upstream", "api");

        Assert.Equal((0, ""), (code, error));
        Assert.Equal(LocalGateway + Environment.NewLine, output);
    }

    [Fact]
    public void An_unknown_kind_in_hcl_is_exit_2_naming_file_line_and_column()
    {
        string path = Write("proxy-defaults.hcl", "Name = \"global\"\nKind = \"proxy-default\"\n");

        var (code, output, error) = CliRunner.Run(
            "resolve", "--entries", path, "--entries", WebHcl, "--service", "web", "--upstream", "api");

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

        var (code, _, error) = CliRunner.Run("resolve", "--entries", path, "--entries", WebHcl, "--service", "web", "--upstream", "api");

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
        string a = Write("a.hcl", File.ReadAllText(ProxyDefaultsHcl));
        string b = Write("b.hcl", File.ReadAllText(ProxyDefaultsHcl));

        var (code, _, error) = CliRunner.Run("resolve", "--entries", a, "--entries", b, "--entries", WebHcl, "--service", "web", "--upstream", "api");

        Assert.Equal(2, code);
        Assert.StartsWith($"{b}:1:1: proxy-defaults \"global\": duplicate proxy-defaults entry", error, StringComparison.Ordinal);
    }
}
