using System.Text;
using Microsoft.Extensions.Configuration;

namespace MeshGateway.Modes.Tests.Options;

public class MeshGatewayModeSettingsTests
{
    private const string AppSettings = """
        {
          "MeshGateway": {
            "Modes": {
              "Datacenter": "dc1",
              "ProxyDefaults": "local",
              "ServiceDefaults": "",
              "Upstreams": {
                "db": { "Datacenter": "dc2" },
                "billing": { "Datacenter": "dc2", "Mode": "remote" },
                "orders": { "Peer": "cluster-02", "Override": "none" },
                "cache": { },
                "payments": { "Datacenter": "dc3", "ExternalSni": true }
              }
            }
          }
        }
        """;

    private static MeshGatewayModeOptions Bind(string json)
    {
        IConfiguration configuration = new ConfigurationBuilder()
            .AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(json)))
            .Build();
        return configuration.GetSection(MeshGatewayModeOptions.SectionName).Get<MeshGatewayModeOptions>() ?? new MeshGatewayModeOptions();
    }

    private static MeshGatewayModeSettings Valid(MeshGatewayModeOptions options)
    {
        Assert.True(MeshGatewayModeSettings.TryCreate(options, out var settings, out var errors), string.Join("\n", errors));
        Assert.Empty(errors);
        return settings;
    }

    [Theory]
    [InlineData("db", MeshGatewayMode.Local, MeshGatewayModeSource.ProxyDefaults, DialPath.LocalGateway, false)]
    [InlineData("billing", MeshGatewayMode.Remote, MeshGatewayModeSource.Upstream, DialPath.RemoteGateway, false)]
    [InlineData("orders", MeshGatewayMode.None, MeshGatewayModeSource.UpstreamOverride, DialPath.RemoteGateway, true)]
    [InlineData("cache", MeshGatewayMode.Local, MeshGatewayModeSource.ProxyDefaults, DialPath.Direct, false)]
    [InlineData("payments", MeshGatewayMode.Local, MeshGatewayModeSource.ProxyDefaults, DialPath.Direct, false)]
    public void Settings_bound_from_appsettings_json_resolve_each_upstream(
        string upstream, MeshGatewayMode mode, MeshGatewayModeSource source, DialPath path, bool overridden)
    {
        var settings = Valid(Bind(AppSettings));

        Assert.True(settings.TryResolve(upstream, out var resolution));
        Assert.Equal(new MeshGatewayResolution(mode, source, path, overridden), resolution);
    }

    [Fact]
    public void Unknown_upstream_is_not_resolved()
    {
        Assert.False(Valid(Bind(AppSettings)).TryResolve("nope", out _));
    }

    [Fact]
    public void Every_invalid_setting_is_reported_with_its_key()
    {
        const string Json = """
            { "MeshGateway": { "Modes": {
                "ProxyDefaults": "Local", "Proxy": "default",
                "Upstreams": { "db": { "Mode": "REMOTE", "Override": " none" }, "q": { "PreparedQuery": true, "Peer": "p" } } } } }
            """;

        Assert.False(MeshGatewayModeSettings.TryCreate(Bind(Json), out var settings, out var errors));
        Assert.Null(settings);
        Assert.Equal(
            [
                "Proxy: Invalid Mesh Gateway Mode: \"default\"",
                "ProxyDefaults: Invalid Mesh Gateway Mode: \"Local\"",
                "Upstreams:db:Mode: Invalid Mesh Gateway Mode: \"REMOTE\"",
                "Upstreams:db:Override: Invalid Mesh Gateway Mode: \" none\"",
                "Upstreams:q: a prepared query cannot be imported from a peer (set PreparedQuery or Peer, not both)",
            ],
            errors);
    }

    [Fact]
    public void Empty_options_are_valid_and_default_to_dc1()
    {
        var settings = Valid(new MeshGatewayModeOptions());

        Assert.Equal("dc1", settings.Datacenter);
        Assert.Empty(settings.Upstreams);
    }

    [Fact]
    public void Upstream_partition_defaults_to_the_proxys()
    {
        var options = new MeshGatewayModeOptions { Partition = "part1", ProxyDefaults = "remote" };
        options.Upstreams["db"] = new MeshGatewayUpstreamOptions();
        options.Upstreams["api"] = new MeshGatewayUpstreamOptions { Partition = "default" };
        var settings = Valid(options);

        Assert.True(settings.TryResolve("db", out var db));
        Assert.True(settings.TryResolve("api", out var api));
        Assert.Equal(DialPath.Direct, db.Path);
        Assert.Equal(DialPath.RemoteGateway, api.Path);
    }

    [Fact]
    public void TryResolve_allocates_nothing()
    {
        var settings = Valid(Bind(AppSettings));
        for (int i = 0; i < 100; i++)
        {
            settings.TryResolve("billing", out _);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        int paths = 0;
        for (int i = 0; i < 1000; i++)
        {
            settings.TryResolve("billing", out var r);
            paths += (int)r.Path;
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(2000, paths);
    }
}
