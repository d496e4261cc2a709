using System.Text.Json;

namespace MeshGateway.Cli.Tests.Sni;

/// <summary>The exact contract of <c>meshgw sni ...</c> (issue 4, docs/naming.md).</summary>
public class SniCommandTests
{
    private const string Td = "11111111-2222-3333-4444-555555555555.consul";

    [Theory]
    [InlineData(new[] { "sni", "service", "--service", "api", "--datacenter", "dc1", "--trust-domain", Td }, "api.default.dc1.internal." + Td)]
    [InlineData(new[] { "sni", "service", "--service", "api", "--subset", "v1", "--namespace", "ns1", "--datacenter", "dc1", "--trust-domain", Td }, "v1.api.ns1.dc1.internal." + Td)]
    [InlineData(new[] { "sni", "service", "--service", "api", "--partition", "default", "--datacenter", "dc1", "--trust-domain", Td }, "api.default.dc1.internal." + Td)]
    [InlineData(new[] { "sni", "service", "--service", "api", "--partition", "part1", "--datacenter", "dc1", "--trust-domain", Td }, "api.default.part1.dc1.internal-v1." + Td)]
    [InlineData(new[] { "sni", "gateway", "--datacenter", "dc2", "--trust-domain", Td }, "dc2.internal." + Td)]
    [InlineData(new[] { "sni", "gateway", "--datacenter", "dc2", "--partition", "part1", "--trust-domain", Td }, "part1.dc2.internal-v1." + Td)]
    [InlineData(new[] { "sni", "query", "--query", "geo-db", "--datacenter", "dc1", "--trust-domain", Td }, "geo-db.default.dc1.query." + Td)]
    [InlineData(new[] { "sni", "peered", "--service", "api", "--peer", "cloud", "--trust-domain", Td }, "api.default.default.cloud.external." + Td)]
    [InlineData(new[] { "sni", "peered", "--service", "api", "--namespace", "ns", "--partition", "p1", "--peer", "cloud", "--trust-domain", Td }, "api.ns.p1.cloud.external." + Td)]
    public void Builders_print_the_name_and_a_newline_and_exit_zero(string[] args, string expected)
    {
        var (code, output, error) = CliRunner.Run(args);

        Assert.Equal(0, code);
        Assert.Equal(expected + Environment.NewLine, output);
        Assert.Empty(error);
    }

    [Theory]
    [InlineData(new[] { "sni", "service", "--service", "a.b", "--datacenter", "dc1", "--trust-domain", Td }, "--service \"a.b\" must not contain a dot")]
    [InlineData(new[] { "sni", "service", "--service", "api", "--datacenter", "DC1", "--trust-domain", Td }, "--datacenter cannot be \"DC1\". Please use only [a-z0-9-_].")]
    [InlineData(new[] { "sni", "service", "--service", "", "--datacenter", "dc1", "--trust-domain", Td }, "--service must not be empty")]
    [InlineData(new[] { "sni", "gateway", "--datacenter", "dc1", "--trust-domain", "a..consul" }, "--trust-domain \"a..consul\" has an empty label")]
    [InlineData(new[] { "sni", "query", "--query", "q.x", "--datacenter", "dc1", "--trust-domain", Td }, "--query \"q.x\" must not contain a dot")]
    [InlineData(new[] { "sni", "peered", "--service", "api", "--peer", "", "--trust-domain", Td }, "peer name is a requirement for this function and does not make sense without it")]
    [InlineData(new[] { "sni", "service", "--datacenter", "dc1", "--trust-domain", Td }, "--service")]
    [InlineData(new[] { "sni", "gateway", "--trust-domain", Td }, "--datacenter")]
    [InlineData(new[] { "sni", "peered", "--service", "api", "--trust-domain", Td }, "--peer")]
    public void Invalid_input_prints_a_message_on_stderr_and_exits_2(string[] args, string message)
    {
        var (code, output, error) = CliRunner.Run(args);

        Assert.Equal(MeshGatewayCli.UsageError, code);
        Assert.Contains(message, error, StringComparison.Ordinal);
        Assert.DoesNotContain(Td, output, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_invalid_part_is_reported_at_once()
    {
        var (code, _, error) = CliRunner.Run("sni", "service", "--service", "a.b", "--subset", "v.1", "--datacenter", "DC1", "--trust-domain", Td);

        Assert.Equal(MeshGatewayCli.UsageError, code);
        string[] lines = error.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
    }

    [Fact]
    public void Parse_prints_every_key_with_null_where_not_applicable()
    {
        var (code, output, error) = CliRunner.Run("sni", "parse", "v1.api.ns1.part1.dc1.internal-v1." + Td);

        Assert.Equal(0, code);
        Assert.Empty(error);
        Assert.EndsWith(Environment.NewLine, output, StringComparison.Ordinal);
        Assert.Equal(
            "{\"kind\":\"service\",\"service\":\"api\",\"subset\":\"v1\",\"namespace\":\"ns1\",\"partition\":\"part1\","
            + "\"datacenter\":\"dc1\",\"peer\":null,\"query\":null,\"trustDomain\":\"" + Td + "\"}",
            output.TrimEnd());
    }

    [Theory]
    [InlineData("api.default.dc1.internal." + Td, "service", "api", null, "default", "default", "dc1", null, null)]
    [InlineData("dc2.internal." + Td, "gateway", null, null, null, "default", "dc2", null, null)]
    [InlineData("part1.dc2.internal-v1." + Td, "gateway", null, null, null, "part1", "dc2", null, null)]
    [InlineData("geo.default.dc1.query." + Td, "query", null, null, null, null, "dc1", null, "geo")]
    [InlineData("api.ns.p1.cloud.external." + Td, "peered", "api", null, "ns", "p1", null, "cloud", null)]
    public void Parse_reports_each_kind_with_its_parts(
        string sni, string kind, string? service, string? subset, string? ns, string? partition, string? dc, string? peer, string? query)
    {
        var (code, output, _) = CliRunner.Run("sni", "parse", sni, "--trust-domain", Td);

        Assert.Equal(0, code);
        using JsonDocument json = JsonDocument.Parse(output);
        JsonElement root = json.RootElement;
        Assert.Equal(
            ["kind", "service", "subset", "namespace", "partition", "datacenter", "peer", "query", "trustDomain"],
            root.EnumerateObject().Select(p => p.Name));
        Assert.Equal(kind, root.GetProperty("kind").GetString());
        Assert.Equal(service, root.GetProperty("service").GetString());
        Assert.Equal(subset, root.GetProperty("subset").GetString());
        Assert.Equal(ns, root.GetProperty("namespace").GetString());
        Assert.Equal(partition, root.GetProperty("partition").GetString());
        Assert.Equal(dc, root.GetProperty("datacenter").GetString());
        Assert.Equal(peer, root.GetProperty("peer").GetString());
        Assert.Equal(query, root.GetProperty("query").GetString());
        Assert.Equal(Td, root.GetProperty("trustDomain").GetString());
    }

    [Theory]
    [InlineData(new[] { "sni", "parse", "www.example.com" }, "no internal, internal-v1, query or external label")]
    [InlineData(new[] { "sni", "parse", "api.default.dc1.internal.other.consul", "--trust-domain", Td }, "does not end with the given trust domain")]
    [InlineData(new[] { "sni", "parse", "a.b.c.internal.e.internal-v1.td" }, "more than one way")]
    [InlineData(new[] { "sni", "parse", "" }, "empty")]
    public void Parse_of_a_name_that_is_not_a_consul_sni_prints_an_error_object_and_exits_1(string[] args, string message)
    {
        var (code, output, _) = CliRunner.Run(args);

        Assert.Equal(1, code);
        using JsonDocument json = JsonDocument.Parse(output);
        JsonProperty only = Assert.Single(json.RootElement.EnumerateObject());
        Assert.Equal("error", only.Name);
        Assert.Contains(message, only.Value.GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_without_a_name_is_a_usage_error()
    {
        var (code, _, _) = CliRunner.Run("sni", "parse");
        Assert.Equal(MeshGatewayCli.UsageError, code);
    }

    [Fact]
    public void Built_names_parse_back_through_the_cli()
    {
        var (_, built, _) = CliRunner.Run("sni", "service", "--service", "web", "--subset", "canary", "--partition", "eu", "--datacenter", "dc3", "--trust-domain", Td);
        var (code, parsed, _) = CliRunner.Run("sni", "parse", built.TrimEnd());

        Assert.Equal(0, code);
        using JsonDocument json = JsonDocument.Parse(parsed);
        Assert.Equal("canary", json.RootElement.GetProperty("subset").GetString());
        Assert.Equal("eu", json.RootElement.GetProperty("partition").GetString());
    }

    [Theory]
    [InlineData(new[] { "sni", "service", "--service", "Web Server!", "--datacenter", "dc1", "--trust-domain", Td }, "--service \"Web Server!\" has the character U+0020 at index 3")]
    [InlineData(new[] { "sni", "service", "--service", "api", "--datacenter", "dc1", "--trust-domain", "not a domain" }, "--trust-domain \"not a domain\" has the character U+0020 at index 3")]
    [InlineData(new[] { "sni", "service", "--service", "api", "--subset", "v=1", "--datacenter", "dc1", "--trust-domain", Td }, "--subset \"v=1\" has the character '=' at index 1")]
    [InlineData(new[] { "sni", "gateway", "--datacenter", "dc1", "--partition", "caf\u00e9", "--trust-domain", Td }, "--partition \"caf\\xE9\" has the character U+00E9 at index 3")]
    [InlineData(new[] { "sni", "query", "--query", "geo\ndb", "--datacenter", "dc1", "--trust-domain", Td }, "--query \"geo\\x0Adb\" has the character U+000A at index 3")]
    [InlineData(new[] { "sni", "peered", "--service", "api", "--peer", "clo ud", "--trust-domain", Td }, "--peer \"clo ud\" has the character U+0020 at index 3")]
    public void Names_no_tls_client_can_send_are_usage_errors_naming_the_flag_and_the_allowed_characters(string[] args, string message)
    {
        var (code, output, error) = CliRunner.Run(args);

        Assert.Equal(MeshGatewayCli.UsageError, code);
        Assert.Empty(output);
        Assert.Equal($"meshgw sni: {message}; every label of a name in an SNI must be letters, digits, '_' or '-' ([A-Za-z0-9_-])" + Environment.NewLine, error);
    }

    [Fact]
    public void Upper_case_datacenter_is_refused_with_the_name_consul_would_use()
    {
        var (code, _, error) = CliRunner.Run("sni", "gateway", "--datacenter", "DC1", "--trust-domain", Td);

        Assert.Equal(MeshGatewayCli.UsageError, code);
        Assert.Contains("Consul's agent lower-cases datacenter names, so the datacenter Consul uses is \"dc1\"", error, StringComparison.Ordinal);
    }
}
