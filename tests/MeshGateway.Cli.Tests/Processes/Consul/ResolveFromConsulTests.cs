using MeshGateway.Testing.Consul;

namespace MeshGateway.Cli.Tests.Processes.Consul;

/// <summary>
/// Issue 17: <c>meshgw resolve --consul URL --service S --upstream U</c> answers from a live agent: the proxy's
/// registration (the agent's, else the catalog's) and the proxy-defaults and service-defaults entries. The real tool
/// as a process against the in-repo Consul API server; the bodies are in the shapes Consul's API documentation gives.
/// </summary>
public class ResolveFromConsulTests
{
    /// <summary><c>GET /v1/agent/service/web-sidecar-proxy</c> as Consul's agent answers it.</summary>
    private const string AgentSidecar = """
        { "Kind": "connect-proxy", "ID": "web-sidecar-proxy", "Service": "web-sidecar-proxy", "Tags": [], "Meta": {},
          "Port": 21000, "Address": "", "Weights": { "Passing": 1, "Warning": 1 }, "EnableTagOverride": false,
          "ContentHash": "4ecd29c7bc647ca8", "Datacenter": "dc1",
          "Proxy": { "DestinationServiceName": "web", "DestinationServiceID": "web", "LocalServiceAddress": "127.0.0.1",
                     "LocalServicePort": 8080, "Mode": "", "MeshGateway": {}, "Expose": {},
                     "Upstreams": [
                       { "DestinationType": "service", "DestinationName": "db", "Datacenter": "dc2", "LocalBindPort": 9191, "MeshGateway": {} },
                       { "DestinationType": "service", "DestinationName": "billing", "Datacenter": "dc2", "LocalBindPort": 9192, "MeshGateway": {} },
                       { "DestinationType": "service", "DestinationName": "cache", "LocalBindPort": 9193, "MeshGateway": { "Mode": "none" } } ] } }
        """;

    private const string ProxyDefaults = """
        { "Kind": "proxy-defaults", "Name": "global", "MeshGateway": { "Mode": "local" }, "Config": {}, "CreateIndex": 15, "ModifyIndex": 15 }
        """;

    private const string WebDefaults = """
        { "Kind": "service-defaults", "Name": "web", "Protocol": "tcp",
          "UpstreamConfig": { "Overrides": [ { "Name": "billing", "MeshGateway": { "Mode": "remote" } } ] },
          "CreateIndex": 16, "ModifyIndex": 16 }
        """;

    private const string AgentSelf = """{ "Config": { "Datacenter": "dc1", "NodeName": "node-a", "Server": true, "Version": "1.20.1" }, "Member": {} }""";

    private static string Json(string mode, string source, string path) =>
        $"{{\"mode\":\"{mode}\",\"source\":\"{source}\",\"path\":\"{path}\"}}" + Environment.NewLine;

    [Theory]
    [InlineData("web", "db", "local", "proxy-defaults", "local-gateway")]
    [InlineData("web-sidecar-proxy", "db", "local", "proxy-defaults", "local-gateway")]
    [InlineData("web", "billing", "remote", "upstream-override", "remote-gateway")]
    [InlineData("web-sidecar-proxy", "cache", "none", "upstream", "direct")]
    public async Task Resolves_from_the_agents_registration_and_live_config_entries(string service, string upstream, string mode, string source, string path)
    {
        await using FakeConsulAgent agent = await FakeConsulAgent.StartAsync();
        agent.Set("/v1/agent/service/web-sidecar-proxy", AgentSidecar);
        agent.Set("/v1/config/proxy-defaults/global", ProxyDefaults);
        agent.Set("/v1/config/service-defaults/web", WebDefaults);
        agent.Set("/v1/agent/self", AgentSelf);

        var (code, output, error) = await MeshgwProcess.RunAsync("resolve", "--consul", agent.Address.ToString(), "--service", service, "--upstream", upstream);

        Assert.True(code == 0, error);
        Assert.Equal(Json(mode, source, path), output);
        Assert.Empty(error);
    }

    [Fact]
    public async Task Without_the_entries_the_same_registration_answers_default()
    {
        await using FakeConsulAgent agent = await FakeConsulAgent.StartAsync();
        agent.Set("/v1/agent/service/web-sidecar-proxy", AgentSidecar);

        var (code, output, error) = await MeshgwProcess.RunAsync(
            "resolve", "--consul", agent.Address.ToString(), "--service", "web", "--upstream", "db", "--local-datacenter", "dc1");

        Assert.True(code == 0, error);
        Assert.Equal(Json("default", "unset", "direct"), output);
        Assert.Empty(agent.RequestsTo("/v1/agent/self"));
    }

    [Fact]
    public async Task The_target_services_own_service_defaults_apply_last()
    {
        await using FakeConsulAgent agent = await FakeConsulAgent.StartAsync();
        agent.Set("/v1/agent/service/web-sidecar-proxy", AgentSidecar);
        agent.Set("/v1/config/service-defaults/db", """{ "Kind": "service-defaults", "Name": "db", "MeshGateway": { "Mode": "remote" } }""");
        agent.Set("/v1/agent/self", AgentSelf);

        var (_, output, error) = await MeshgwProcess.RunAsync("resolve", "--consul", agent.Address.ToString(), "--service", "web", "--upstream", "db");

        Assert.Equal(Json("remote", "target-service-defaults", "remote-gateway"), output);
        Assert.Empty(error);
    }

    [Fact]
    public async Task Without_an_agent_registration_the_catalogs_proxy_instances_are_read()
    {
        await using FakeConsulAgent agent = await FakeConsulAgent.StartAsync();
        agent.Set("/v1/catalog/connect/web", """
            [ { "ID": "40e4a748-2192-161a-0510-9bf59fe950b5", "Node": "node-b", "Address": "10.0.0.2", "Datacenter": "dc1",
                "TaggedAddresses": { "lan": "10.0.0.2", "wan": "198.18.0.2" }, "NodeMeta": {},
                "ServiceKind": "connect-proxy", "ServiceID": "web-sidecar-proxy", "ServiceName": "web-sidecar-proxy",
                "ServiceTags": [], "ServiceAddress": "", "ServicePort": 21000,
                "ServiceProxy": { "DestinationServiceName": "web", "DestinationServiceID": "web", "MeshGateway": { "Mode": "remote" },
                                  "Upstreams": [ { "DestinationType": "service", "DestinationName": "db", "Datacenter": "dc2", "LocalBindPort": 9191 } ] },
                "Namespace": "", "CreateIndex": 11, "ModifyIndex": 11 } ]
            """);

        var (code, output, error) = await MeshgwProcess.RunAsync("resolve", "--consul", agent.Address.ToString(), "--service", "web", "--upstream", "db");

        Assert.True(code == 0, error);
        Assert.Equal(Json("remote", "proxy", "remote-gateway"), output);
        // The catalog entry named the datacenter: the agent was not asked.
        Assert.Empty(agent.RequestsTo("/v1/agent/self"));
    }

    [Fact]
    public async Task The_token_flag_is_sent_on_every_request_and_wins_over_the_environment()
    {
        await using FakeConsulAgent agent = await FakeConsulAgent.StartAsync();
        agent.RequiredToken = "from-the-flag";
        agent.Set("/v1/agent/service/web-sidecar-proxy", AgentSidecar);
        agent.Set("/v1/config/proxy-defaults/global", ProxyDefaults);
        agent.Set("/v1/agent/self", AgentSelf);

        var (code, output, error) = await MeshgwProcess.RunAsync(
            new Dictionary<string, string> { ["CONSUL_HTTP_TOKEN"] = "from-the-environment" },
            "resolve", "--consul", agent.Address.ToString(), "--consul-token", "from-the-flag", "--service", "web", "--upstream", "db");

        Assert.True(code == 0, error);
        Assert.Equal(Json("local", "proxy-defaults", "local-gateway"), output);
        Assert.All(agent.Requests, r => Assert.Equal("from-the-flag", r.Token));
    }

    [Fact]
    public async Task A_scheme_less_address_means_http()
    {
        await using FakeConsulAgent agent = await FakeConsulAgent.StartAsync();
        agent.Set("/v1/agent/service/web-sidecar-proxy", AgentSidecar);
        agent.Set("/v1/config/proxy-defaults/global", ProxyDefaults);

        // A scheme-less host:port means http, as Consul's clients read it.
        var (code, output, error) = await MeshgwProcess.RunAsync(
            "resolve", "--consul", $"127.0.0.1:{agent.Port}", "--service", "web", "--upstream", "db", "--local-datacenter", "dc1");

        Assert.True(code == 0, error);
        Assert.Equal(Json("local", "proxy-defaults", "local-gateway"), output);
    }

    [Fact]
    public async Task A_token_the_agent_refuses_exits_1_naming_the_request()
    {
        await using FakeConsulAgent agent = await FakeConsulAgent.StartAsync();
        agent.RequiredToken = "right";

        var (code, output, error) = await MeshgwProcess.RunAsync(
            "resolve", "--consul", agent.Address.ToString(), "--consul-token", "wrong", "--service", "web", "--upstream", "db");

        Assert.Equal(1, code);
        Assert.Empty(output);
        Assert.Equal("meshgw resolve: GET /v1/agent/service/web: the Consul agent answered HTTP 403" + Environment.NewLine, error);
    }

    [Fact]
    public async Task An_agent_that_is_gone_exits_1()
    {
        FakeConsulAgent agent = await FakeConsulAgent.StartAsync();
        string address = agent.Address.ToString();
        await agent.DisposeAsync();

        var (code, output, error) = await MeshgwProcess.RunAsync("resolve", "--consul", address, "--service", "web", "--upstream", "db");

        Assert.Equal(1, code);
        Assert.Empty(output);
        Assert.StartsWith("meshgw resolve: GET /v1/agent/service/web: the Consul agent could not be reached: ", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_proxy_the_agent_does_not_know_exits_2_naming_the_agent()
    {
        await using FakeConsulAgent agent = await FakeConsulAgent.StartAsync();
        agent.Set("/v1/agent/self", AgentSelf);

        var (code, _, error) = await MeshgwProcess.RunAsync("resolve", "--consul", agent.Address.ToString(), "--service", "web", "--upstream", "db");

        Assert.Equal(2, code);
        Assert.Equal($"meshgw resolve: no proxy registration for service \"web\" in the Consul agent at {agent.Address}" + Environment.NewLine, error);
    }

    [Fact]
    public async Task An_invalid_live_entry_is_reported_under_its_request_with_line_and_column()
    {
        await using FakeConsulAgent agent = await FakeConsulAgent.StartAsync();
        agent.Set("/v1/agent/service/web-sidecar-proxy", AgentSidecar);
        agent.Set("/v1/config/proxy-defaults/global", """{"Kind": "proxy-defaults", "Name": "global", "MeshGateway": {"Mode": "Local"}}""");

        var (code, output, error) = await MeshgwProcess.RunAsync(
            "resolve", "--consul", agent.Address.ToString(), "--service", "web", "--upstream", "db", "--local-datacenter", "dc1");

        Assert.Equal(2, code);
        Assert.Empty(output);
        Assert.Equal(
            "GET /v1/config/proxy-defaults/global:1:70: proxy-defaults \"global\": MeshGateway.Mode: Invalid Mesh Gateway Mode: \"Local\"" + Environment.NewLine,
            error);
    }

    [Fact]
    public async Task Consul_cannot_be_combined_with_entries_or_layer_flags()
    {
        var (code, _, error) = await MeshgwProcess.RunAsync(
            "resolve", "--consul", "127.0.0.1:1", "--entries", "x.hcl", "--service", "web", "--upstream", "db");
        Assert.Equal((2, "meshgw resolve: --entries and --consul cannot be combined (give the entries in files or read them from the agent)" + Environment.NewLine), (code, error));

        (code, _, error) = await MeshgwProcess.RunAsync("resolve", "--consul", "127.0.0.1:1", "--service", "web", "--upstream", "db", "--proxy", "local");
        Assert.Equal((2, "meshgw resolve: --proxy cannot be combined with --consul (the entries hold those settings)" + Environment.NewLine), (code, error));
    }
}
