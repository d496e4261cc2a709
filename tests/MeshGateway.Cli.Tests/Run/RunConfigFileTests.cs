namespace MeshGateway.Cli.Tests.Run;

/// <summary>
/// <c>meshgw run</c>'s file is read as .NET configuration and checked by the library's binder and composer: keys in any
/// case, errors at the file's own spelling, wrong shapes reported like every other error.
/// </summary>
public class RunConfigFileTests
{
    private const string Td = "11111111-2222-3333-4444-555555555555.consul";

    [Fact]
    public void Keys_match_in_any_case_and_errors_use_the_files_own_spelling()
    {
        var (code, _, error) = Check($$"""
            { "DataCenter": "dc1", "TRUSTDOMAIN": "{{Td}}", "Listeners": [ "127.0.0.1:0" ],
              "Services": [ { "NAME": "Web!", "endpoints": [ "127.0.0.1:1" ] } ] }
            """);

        Assert.Equal(2, code);
        Assert.Contains("  $.Services[0].NAME: service \"Web!\" has the character '!' at index 3", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_string_where_a_list_belongs_is_an_error_at_its_path_not_a_crash()
    {
        var (code, _, error) = Check($$"""
            { "datacenter": "dc1", "trustDomain": "{{Td}}", "listeners": "127.0.0.1:8443", "timeouts": [ "10s" ],
              "services": [ "web" ] }
            """);

        Assert.Equal(2, code);
        Assert.Contains("$.listeners: expected a list, got \"127.0.0.1:8443\".", error, StringComparison.Ordinal);
        Assert.Contains("$.timeouts: expected an object, got a list.", error, StringComparison.Ordinal);
        Assert.Contains("$.services[0]: expected an object, got \"web\".", error, StringComparison.Ordinal);
        Assert.Contains("3 error(s)", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Empty_lists_and_objects_read_as_empty()
    {
        var (code, output, error) = Check($$"""
            { "datacenter": "dc1", "trustDomain": "{{Td}}", "listeners": [ "127.0.0.1:0" ], "services": [], "remoteGateways": [ ],
              "upstreams": [], "timeouts": {}, "metrics": { } }
            """);
        var (emptyServiceCode, _, emptyService) = Check($$"""
            { "datacenter": "dc1", "trustDomain": "{{Td}}", "listeners": [ "127.0.0.1:0" ], "services": [ {} ] }
            """);

        Assert.True(code == 0, error);
        Assert.Contains("would listen on 127.0.0.1:0", output, StringComparison.Ordinal);
        Assert.Equal(2, emptyServiceCode);
        Assert.Contains("$.services[0]: give exactly one of \"name\"", emptyService, StringComparison.Ordinal);
        Assert.Contains("$.services[0].endpoints: needs at least one endpoint", emptyService, StringComparison.Ordinal);
    }

    [Fact]
    public void Two_keys_differing_only_in_case_and_json_syntax_errors_are_reported_at_the_root()
    {
        var (duplicateCode, _, duplicate) = Check("""{ "datacenter": "dc1", "Datacenter": "dc2" }""");
        var (syntaxCode, _, syntax) = Check("{\n  \"datacenter\": \"dc1\"\n  \"trustDomain\": \"x\" }");

        Assert.Equal((2, 2), (duplicateCode, syntaxCode));
        Assert.Contains("$: not valid JSON: ", duplicate, StringComparison.Ordinal);
        Assert.Contains("datacenter", duplicate, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("$: not valid JSON: ", syntax, StringComparison.Ordinal);
        Assert.Contains("LineNumber: 2", syntax, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", syntax, StringComparison.Ordinal);
    }

    private static (int Code, string Output, string Error) Check(string json)
    {
        string path = Path.Combine(Directory.CreateTempSubdirectory("meshgw-run-").FullName, "meshgw.json");
        File.WriteAllText(path, json);
        return CliRunner.Run("run", "--config", path, "--check");
    }
}
