using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using MeshGateway.Consul.ConfigEntries;
using MeshGateway.Consul.Json;
using MeshGateway.Consul.Watch;
using MeshGateway.Modes.ConfigEntries;
using MeshGateway.Testing;

namespace MeshGateway.Consul.Tests.ApiDouble;

/// <summary>
/// Our readers against HashiCorp's own Consul API double (npm <c>@hashicorp/api-double</c> 1.6.1 serving
/// <c>@hashicorp/consul-api-double</c> 6.1.5 templates), started on 127.0.0.1: the response shapes are HashiCorp's, the
/// expected values are read from the same bytes independently with <see cref="JsonDocument"/>. The double answers with
/// random public addresses: they are parsed, never dialled.
/// </summary>
public sealed class ApiDoubleShapeTests : IAsyncLifetime
{
    private Process? server;
    private HttpClient? http;

    public async ValueTask InitializeAsync()
    {
        string node = ExternalTool.Require("node");
        string folder = FindPackages();
        var start = new ProcessStartInfo(node)
        {
            ArgumentList = { Path.Combine(AppContext.BaseDirectory, "ApiDouble", "serve-api-double.js"), folder },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["CONSUL_NODE_COUNT"] = "6";
        server = Process.Start(start)!;
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        string? line = await server.StandardOutput.ReadLineAsync(patience.Token);
        if (line is null || !line.StartsWith("listening ", StringComparison.Ordinal))
        {
            string error = await server.StandardError.ReadToEndAsync(patience.Token);
            Assert.Fail($"the API double did not start: {line} {error}");
        }

        int port = int.Parse(line["listening ".Length..], CultureInfo.InvariantCulture);
        http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
    }

    public ValueTask DisposeAsync()
    {
        http?.Dispose();
        if (server is { HasExited: false })
        {
            server.Kill(entireProcessTree: true);
            server.WaitForExit();
        }

        server?.Dispose();
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task Datacenter_list_in_hashicorps_shape_is_read()
    {
        byte[] body = await http!.GetByteArrayAsync("/v1/catalog/datacenters", TestContext.Current.CancellationToken);

        IReadOnlyList<string> datacenters = ConsulResponseReader.ReadDatacenters(body);

        using JsonDocument expected = JsonDocument.Parse(body);
        Assert.Equal(expected.RootElement.EnumerateArray().Select(e => e.GetString()!), datacenters);
        Assert.Contains("dc1", datacenters);
    }

    [Fact]
    public async Task Mesh_gateways_in_hashicorps_shape_are_read_at_the_node_wan_address()
    {
        byte[] body = await http!.GetByteArrayAsync("/v1/health/service/dc2-mesh-gateway?dc=dc2&passing", TestContext.Current.CancellationToken);

        List<ConsulGatewayEndpoint> gateways = ConsulResponseReader.ReadGateways("dc2", body);

        // The double's gateways have no service tagged addresses: the node's wan address applies, with the service port.
        using JsonDocument document = JsonDocument.Parse(body);
        var expected = document.RootElement.EnumerateArray()
            .Where(e => e.GetProperty("Service").GetProperty("Port").GetInt32() is > 0 and <= 65535)
            .Select(e => (e.GetProperty("Node").GetProperty("TaggedAddresses").GetProperty("wan").GetString()!,
                e.GetProperty("Service").GetProperty("Port").GetInt32()))
            .ToArray();
        Assert.NotEmpty(expected);
        Assert.Equal(expected, gateways.Select(g => (g.Host, g.Port)));
        Assert.All(gateways, g => Assert.Equal("dc2", g.Datacenter));
    }

    [Fact]
    public async Task Connect_proxies_in_hashicorps_shape_are_read_at_the_service_address()
    {
        byte[] body = await http!.GetByteArrayAsync("/v1/health/service/web-sidecar-proxy?passing", TestContext.Current.CancellationToken);

        List<ConsulServiceEndpoint> endpoints = ConsulResponseReader.ReadConnectEndpoints("web", body);

        using JsonDocument document = JsonDocument.Parse(body);
        var expected = document.RootElement.EnumerateArray()
            .Where(e => e.GetProperty("Service").GetProperty("Port").GetInt32() is > 0 and <= 65535)
            .Select(e => (e.GetProperty("Service").GetProperty("Address").GetString()!, e.GetProperty("Service").GetProperty("Port").GetInt32(),
                e.GetProperty("Node").GetProperty("Node").GetString()!))
            .ToArray();
        Assert.NotEmpty(expected);
        Assert.Equal(expected, endpoints.Select(e => (e.Host, e.Port, e.Node)));
    }

    [Fact]
    public async Task Ca_roots_in_hashicorps_shape_are_read()
    {
        byte[] body = await http!.GetByteArrayAsync("/v1/connect/ca/roots", TestContext.Current.CancellationToken);

        string? trustDomain = ConsulResponseReader.ReadTrustDomain(body);

        using JsonDocument document = JsonDocument.Parse(body);
        string? expected = document.RootElement.TryGetProperty("TrustDomain", out JsonElement domain) ? domain.GetString() : null;
        Assert.Equal(expected, trustDomain);
        Assert.True(document.RootElement.GetProperty("Roots").GetArrayLength() > 0);
    }

    [Fact]
    public async Task Catalog_connect_proxies_in_hashicorps_shape_become_the_registration_resolve_reads()
    {
        const string Path = "/v1/catalog/connect/web";
        byte[] body = await http!.GetByteArrayAsync(Path, TestContext.Current.CancellationToken);

        ProxyRegistrationDocument? proxy = ProxyRegistrationDocument.FromCatalog(Path, body);
        ConsulConfigReadResult read = ConsulConfigReader.Read([proxy!.Source]);

        using JsonDocument document = JsonDocument.Parse(body);
        JsonElement first = document.RootElement.EnumerateArray().First(e => e.GetProperty("ServiceKind").GetString() == "connect-proxy");
        string destination = first.GetProperty("ServiceProxy").GetProperty("DestinationServiceName").GetString()!;
        Assert.True(read.Succeeded, string.Join("\n", read.Errors));
        ServiceRegistration registration = Assert.Single(read.Catalog!.Services);
        Assert.Equal((destination, first.GetProperty("ServiceName").GetString()), (registration.Service, registration.ProxyName));
        Assert.Equal((destination, first.GetProperty("Datacenter").GetString()), (proxy.Destination, proxy.Datacenter));
        Assert.Same(registration, read.Catalog.FindRegistration(registration.ProxyName!));
    }

    /// <summary>
    /// The folder whose node_modules holds the double: <c>MESHGW_CONSUL_API_DOUBLE</c>, else <c>artifacts/consul-api-double</c>
    /// at the repository root (where <c>.ci/run</c> installs it). Absent: skipped, or a failure under CI.
    /// </summary>
    private static string FindPackages()
    {
        string? folder = Environment.GetEnvironmentVariable("MESHGW_CONSUL_API_DOUBLE");
        if (string.IsNullOrEmpty(folder))
        {
            DirectoryInfo? directory = new(AppContext.BaseDirectory);
            while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "MeshGateway.Core.sln")))
            {
                directory = directory.Parent;
            }

            folder = directory is null ? "" : Path.Combine(directory.FullName, "artifacts", "consul-api-double");
        }

        if (Directory.Exists(Path.Combine(folder, "node_modules", "@hashicorp", "consul-api-double")))
        {
            return folder;
        }

        string reason = $"HashiCorp's Consul API double is not installed in '{folder}' (.ci/run installs it: npm install --prefix artifacts/consul-api-double @hashicorp/api-double@1.6.1 @hashicorp/consul-api-double@6.1.5)";
        if (ExternalTool.UnderCi)
        {
            Assert.Fail(reason + ": under CI no test may be skipped for a missing tool");
        }

        Assert.Skip(reason);
        return folder;
    }
}
