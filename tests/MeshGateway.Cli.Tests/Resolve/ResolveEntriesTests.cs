namespace MeshGateway.Cli.Tests.Resolve;

public sealed class ResolveEntriesTests : IDisposable
{
    private const string HttpApiForm = """
        {
          "Datacenter": "dc1",
          "ConfigEntries": [
            { "Kind": "proxy-defaults", "Name": "global", "MeshGateway": { "Mode": "local" } },
            { "Kind": "service-defaults", "Name": "web", "UpstreamConfig": {
                "Overrides": [ { "Name": "billing", "MeshGateway": { "Mode": "remote" } } ] } }
          ],
          "Services": [
            { "Name": "web", "Port": 8080, "Connect": { "SidecarService": { "Proxy": { "Upstreams": [
                { "DestinationName": "db", "Datacenter": "dc2", "LocalBindPort": 9191 },
                { "DestinationName": "billing", "Datacenter": "dc2", "LocalBindPort": 9192 },
                { "DestinationName": "cache", "LocalBindPort": 9193 } ] } } } }
          ]
        }
        """;

    private const string AgentConfigForm = """
        {
          "config_entries": { "bootstrap": [
            { "kind": "proxy-defaults", "name": "global", "mesh_gateway": { "mode": "local" } },
            { "kind": "service-defaults", "name": "web", "upstream_config": {
                "overrides": [ { "name": "billing", "mesh_gateway": { "mode": "remote" } } ] } } ] },
          "service": { "name": "web", "port": 8080, "connect": { "sidecar_service": { "proxy": { "upstreams": [
              { "destination_name": "db", "datacenter": "dc2", "local_bind_port": 9191 },
              { "destination_name": "billing", "datacenter": "dc2", "local_bind_port": 9192 },
              { "destination_name": "cache", "local_bind_port": 9193 } ] } } } }
        }
        """;

    private readonly string _directory = Directory.CreateTempSubdirectory("meshgw-resolve-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string Write(string json)
    {
        string path = Path.Combine(_directory, $"entries-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, json);
        return path;
    }

    [Theory]
    [InlineData("db", "{\"mode\":\"local\",\"source\":\"proxy-defaults\",\"path\":\"local-gateway\"}")]
    [InlineData("billing", "{\"mode\":\"remote\",\"source\":\"upstream-override\",\"path\":\"remote-gateway\"}")]
    [InlineData("cache", "{\"mode\":\"local\",\"source\":\"proxy-defaults\",\"path\":\"direct\"}")]
    public void Entries_file_in_either_form_resolves_the_named_upstream(string upstream, string expected)
    {
        foreach (string json in new[] { HttpApiForm, AgentConfigForm })
        {
            var (code, output, error) = CliRunner.Run("resolve", "--entries", Write(json), "--service", "web", "--upstream", upstream);

            Assert.Equal(0, code);
            Assert.Empty(error);
            Assert.Equal(expected + Environment.NewLine, output);
        }
    }

    [Fact]
    public void Local_datacenter_flag_overrides_the_files()
    {
        var (_, output, _) = CliRunner.Run(
            "resolve", "--entries", Write(HttpApiForm), "--service", "web", "--upstream", "db", "--local-datacenter", "dc2");

        Assert.Equal("{\"mode\":\"local\",\"source\":\"proxy-defaults\",\"path\":\"direct\"}" + Environment.NewLine, output);
    }

    [Fact]
    public void Invalid_entries_print_every_error_at_its_line_and_column_and_exit_2()
    {
        string path = Write("""
            { "ConfigEntries": [ { "Kind": "proxy-defaults", "Name": "global", "MeshGateway": { "Mode": "Local" } } ],
              "Services": [ { "Name": "web", "Connect": { "SidecarService": { "Proxy": {
                  "Upstreams": [ { "DestinationName": "db", "MeshGateway": { "Mode": "default" } } ] } } } } ] }
            """);

        var (code, output, error) = CliRunner.Run("resolve", "--entries", path, "--service", "web", "--upstream", "db");

        Assert.Equal(2, code);
        Assert.Empty(output);
        Assert.Equal(
            $"{path}:1:93: proxy-defaults \"global\": MeshGateway.Mode: Invalid Mesh Gateway Mode: \"Local\"{Environment.NewLine}"
            + $"{path}:3:74: service \"web\": Connect.SidecarService.Proxy.Upstreams[0].MeshGateway.Mode: Invalid Mesh Gateway Mode: \"default\"{Environment.NewLine}",
            error);
    }

    [Fact]
    public void Peered_upstream_with_none_warns_naming_the_upstream()
    {
        string path = Write("""
            { "Services": [ { "Name": "web", "Connect": { "SidecarService": { "Proxy": { "Upstreams": [
                { "DestinationName": "orders", "DestinationPeer": "cluster-02", "MeshGateway": { "Mode": "none" } } ] } } } } ] }
            """);

        var (code, output, error) = CliRunner.Run("resolve", "--entries", path, "--service", "web", "--upstream", "orders");

        Assert.Equal(0, code);
        Assert.Equal("{\"mode\":\"none\",\"source\":\"upstream\",\"path\":\"remote-gateway\"}" + Environment.NewLine, output);
        Assert.Equal("warning: invalid mesh gateway mode 'none', defaulting to 'remote' for \"orders\"" + Environment.NewLine, error);
    }

    [Fact]
    public void Unknown_upstream_exits_2()
    {
        var (code, _, error) = CliRunner.Run("resolve", "--entries", Write(HttpApiForm), "--service", "web", "--upstream", "nope");

        Assert.Equal(2, code);
        Assert.Contains("declares no upstream \"nope\"", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_file_exits_2()
    {
        var (code, _, error) = CliRunner.Run(
            "resolve", "--entries", Path.Combine(_directory, "absent.json"), "--service", "web", "--upstream", "db");

        Assert.Equal(2, code);
        Assert.Contains("cannot read", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Entries_need_service_and_upstream()
    {
        Assert.Equal(2, CliRunner.Run("resolve", "--entries", Write(HttpApiForm), "--upstream", "db").ExitCode);
        Assert.Equal(2, CliRunner.Run("resolve", "--entries", Write(HttpApiForm), "--service", "web").ExitCode);
    }

    [Fact]
    public void Layer_and_target_flags_cannot_be_combined_with_entries()
    {
        var (code, _, error) = CliRunner.Run(
            "resolve", "--entries", Write(HttpApiForm), "--service", "web", "--upstream", "db", "--proxy", "remote", "--peer", "p");

        Assert.Equal(2, code);
        Assert.Contains("--proxy, --peer cannot be combined with --entries", error, StringComparison.Ordinal);
    }
}
