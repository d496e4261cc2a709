using System.Net;
using MeshGateway.Forwarding;

namespace MeshGateway.Forwarding.Tests.Selection;

/// <summary>The per-connection decisions allocate nothing (measured on this thread after a warm-up).</summary>
public class StageAllocationTests
{
    [Fact]
    public void Selectors_route_lookup_and_proxy_v2_header_allocate_nothing()
    {
        UpstreamEndpoint[] endpoints = Enumerable.Range(0, 8).Select(i => new UpstreamEndpoint(new IPEndPoint(IPAddress.Loopback, 9000 + i))).ToArray();
        UpstreamEndpoint[] tried = [endpoints[2]];
        var roundRobin = new RoundRobinSelector();
        var p2c = new PowerOfTwoChoicesSelector(new Random(3));
        var options = new ForwarderOptions();
        var cluster = new UpstreamClusterOptions();
        cluster.Endpoints.Add("127.0.0.1:9000");
        options.Clusters["dc2"] = cluster;
        options.Routes.Add(new ForwardRouteOptions { Sni = "*.dc2.internal.td", Cluster = "dc2" });
        var resolver = new OptionsRouteResolver(options);
        ForwardingContext context = TestContexts.Create(new IPEndPoint(IPAddress.Loopback, 5000), new IPEndPoint(IPAddress.Loopback, 443), "web.default.dc2.internal.td");
        var proxyV2 = new ProxyProtocolV2Writer(includeAuthority: true);
        byte[] header = new byte[256];

        void RunOnce()
        {
            roundRobin.Pick(context, endpoints, tried);
            p2c.Pick(context, endpoints, tried);
            ValueTask<ForwardRoute?> route = resolver.ResolveAsync(context, CancellationToken.None);
            Assert.True(route.IsCompletedSuccessfully);
            proxyV2.Write(context, header);
        }

        for (int i = 0; i < 100; i++)
        {
            RunOnce();
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
        {
            RunOnce();
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
