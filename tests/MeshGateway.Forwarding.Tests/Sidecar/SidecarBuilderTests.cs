using System.Net;
using MeshGateway.Forwarding;
using MeshGateway.Modes;
using Microsoft.Extensions.Options;

namespace MeshGateway.Forwarding.Tests.Sidecar;

/// <summary>The sidecar composed in the library: the Modes resolver, not the host, decides each upstream's dial path.</summary>
public class SidecarBuilderTests
{
    private static readonly IPEndPoint Listen = new(IPAddress.Loopback, 0);

    private static readonly SidecarUpstreamEndpoints All = new(
        [new UpstreamEndpoint(new IPEndPoint(IPAddress.Loopback, 1))],
        [new UpstreamEndpoint(new IPEndPoint(IPAddress.Loopback, 2))],
        [new UpstreamEndpoint(new IPEndPoint(IPAddress.Loopback, 3))]);

    private static ForwardRoute RouteOf(ListenerPlan plan) => Assert.IsType<StaticRouteResolver>(plan.Routes).Route;

    private static int PortOf(ListenerPlan plan) => ((IPEndPoint)Assert.Single(RouteOf(plan).Cluster.Endpoints).EndPoint).Port;

    [Fact]
    public void Upstream_mode_beats_proxy_defaults_and_each_upstream_dials_its_resolved_path()
    {
        IReadOnlyList<ListenerPlan> plans = new SidecarBuilder("dc1") { Modes = { ProxyDefaults = "local" } }
            .AddUpstream("db", Listen, All, targetDatacenter: "dc2")
            .AddUpstream("cache", Listen, All, targetDatacenter: "dc2", mode: "remote")
            .AddUpstream("web", Listen, All, targetDatacenter: "dc2", mode: "none")
            .Build();

        Assert.Equal([2, 3, 1], plans.Select(PortOf));
        Assert.Equal("upstream db -> dc2: mode local (from ProxyDefaults), path LocalGateway via 127.0.0.1:2", plans[0].Description);
        Assert.Equal("upstream cache -> dc2: mode remote (from Upstream), path RemoteGateway via 127.0.0.1:3", plans[1].Description);
    }

    [Fact]
    public void An_upstream_in_the_proxys_own_datacenter_dials_its_instances_whatever_the_mode()
    {
        ListenerPlan plan = Assert.Single(new SidecarBuilder("dc1").AddUpstream("db", Listen, All, mode: "local").Build());

        Assert.Equal(1, PortOf(plan));
        Assert.Contains("path Direct", plan.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void Empty_mode_word_is_the_default_mode_as_in_consul()
    {
        ListenerPlan plan = Assert.Single(new SidecarBuilder("dc1") { Modes = { ProxyDefaults = "remote" } }
            .AddUpstream("db", Listen, All, targetDatacenter: "dc2", mode: "").Build());

        Assert.Equal(3, PortOf(plan));
    }

    [Fact]
    public void Every_bad_mode_and_every_path_without_endpoints_is_reported_at_once_by_key()
    {
        var onlyInstances = new SidecarUpstreamEndpoints([new UpstreamEndpoint(new IPEndPoint(IPAddress.Loopback, 1))], [], []);
        var bad = new SidecarBuilder("dc1") { Modes = { ProxyDefaults = "Local" } }
            .AddUpstream("db", Listen, All, targetDatacenter: "dc2", mode: "default");

        Assert.False(bad.TryBuild(out IReadOnlyList<ListenerPlan>? none, out IReadOnlyList<string> errors));
        Assert.Null(none);
        Assert.Equal(["ProxyDefaults: Invalid Mesh Gateway Mode: \"Local\"", "Upstreams:db:Mode: Invalid Mesh Gateway Mode: \"default\""], errors);

        var empty = new SidecarBuilder("dc1") { Modes = { ProxyDefaults = "local" } }
            .AddUpstream("db", Listen, onlyInstances, targetDatacenter: "dc2")
            .AddUpstream("cache", Listen, onlyInstances, targetDatacenter: "dc3", mode: "remote");
        OptionsValidationException thrown = Assert.Throws<OptionsValidationException>(() => empty.Build());
        Assert.Equal(
            [
                "Upstreams:db: mode local (from ProxyDefaults) dials LocalGateway, but no endpoints are listed for it.",
                "Upstreams:cache: mode remote (from Upstream) dials RemoteGateway, but no endpoints are listed for it.",
            ],
            thrown.Failures);
    }

    [Fact]
    public void Modes_bound_from_configuration_are_merged_with_the_upstreams_added_in_code()
    {
        var modes = new MeshGatewayModeOptions { Datacenter = "dc1", Proxy = "remote" };
        modes.Upstreams["db"] = new MeshGatewayUpstreamOptions { Datacenter = "dc2", Override = "local" };

        ListenerPlan plan = Assert.Single(new SidecarBuilder(modes).AddUpstream("db", Listen, All).Build());

        Assert.Equal(2, PortOf(plan));
        Assert.Contains("(from UpstreamOverride)", plan.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void Sidecar_listeners_forward_from_the_first_byte_and_carry_the_preamble()
    {
        ListenerPlan plan = Assert.Single(new SidecarBuilder("dc1").UsePreamble(ProxyProtocolV1Writer.Instance)
            .AddUpstream("db", Listen, All, targetDatacenter: "dc2").Build());

        Assert.False(plan.SniffsClientHello);
        Assert.Same(ProxyProtocolV1Writer.Instance, RouteOf(plan).Cluster.Preamble);
    }
}
