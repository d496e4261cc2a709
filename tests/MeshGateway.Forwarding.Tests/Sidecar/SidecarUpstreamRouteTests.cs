using System.Net;
using MeshGateway.Forwarding;
using MeshGateway.Modes;

namespace MeshGateway.Forwarding.Tests.Sidecar;

public class SidecarUpstreamRouteTests
{
    private static readonly SidecarUpstreamEndpoints Endpoints = new(
        [new UpstreamEndpoint(new IPEndPoint(IPAddress.Loopback, 1))],
        [new UpstreamEndpoint(new IPEndPoint(IPAddress.Loopback, 2))],
        [new UpstreamEndpoint(new IPEndPoint(IPAddress.Loopback, 3))]);

    [Theory]
    [InlineData(MeshGatewayMode.Default, "direct", 1)]
    [InlineData(MeshGatewayMode.None, "direct", 1)]
    [InlineData(MeshGatewayMode.Local, "local-gateway", 2)]
    [InlineData(MeshGatewayMode.Remote, "remote-gateway", 3)]
    public void Dial_path_of_a_cross_datacenter_upstream_picks_its_endpoints(MeshGatewayMode mode, string path, int port)
    {
        MeshGatewayResolution resolution = MeshGatewayModeResolver.Resolve(
            new MeshGatewayModeLayers(Upstream: mode), new UpstreamTarget(LocalDatacenter: "dc1", TargetDatacenter: "dc2"));

        ForwardRoute route = SidecarUpstreamRoute.Create("db", resolution, Endpoints);

        Assert.Equal($"db/{path}", route.Id);
        Assert.Equal(port, ((IPEndPoint)Assert.Single(route.Cluster.Endpoints).EndPoint).Port);
    }

    [Fact]
    public void Same_datacenter_upstream_is_always_direct()
    {
        MeshGatewayResolution resolution = MeshGatewayModeResolver.Resolve(
            new MeshGatewayModeLayers(Upstream: MeshGatewayMode.Remote), new UpstreamTarget(LocalDatacenter: "dc1", TargetDatacenter: "dc1"));

        Assert.Equal("db/direct", SidecarUpstreamRoute.Create("db", resolution, Endpoints).Id);
    }
}
