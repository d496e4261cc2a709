using System.Net;
using BenchmarkDotNet.Attributes;
using MeshGateway.Forwarding;

namespace MeshGateway.Benchmarks.Forwarding;

/// <summary>The per-connection stage costs on their own: endpoint choice, route lookup, PROXY v2 header.</summary>
public class StageBenchmarks
{
    private readonly byte[] _header = new byte[256];
    private UpstreamEndpoint[] _endpoints = null!;
    private RoundRobinSelector _roundRobin = null!;
    private PowerOfTwoChoicesSelector _p2c = null!;
    private OptionsRouteResolver _resolver = null!;
    private ForwardingContext _context = null!;
    private ProxyProtocolV2Writer _proxyV2 = null!;

    [GlobalSetup]
    public void Setup()
    {
        _endpoints = Enumerable.Range(0, 8).Select(i => new UpstreamEndpoint(new IPEndPoint(IPAddress.Loopback, 9000 + i))).ToArray();
        _roundRobin = new RoundRobinSelector();
        _p2c = new PowerOfTwoChoicesSelector(new Random(1));
        var options = new ForwarderOptions();
        for (int dc = 0; dc < 50; dc++)
        {
            var cluster = new UpstreamClusterOptions();
            cluster.Endpoints.Add("127.0.0.1:9000");
            options.Clusters[$"dc{dc}"] = cluster;
            options.Routes.Add(new ForwardRouteOptions { Sni = $"*.dc{dc}.internal.td.consul", Cluster = $"dc{dc}" });
            options.Routes.Add(new ForwardRouteOptions { Sni = $"svc.default.dc{dc}.internal.td.consul", Cluster = $"dc{dc}" });
        }

        _resolver = new OptionsRouteResolver(options);
        _context = TestingContexts.Create("web.default.dc42.internal.td.consul");
        _proxyV2 = new ProxyProtocolV2Writer(includeAuthority: true);
    }

    [Benchmark]
    public UpstreamEndpoint? Round_robin_pick() => _roundRobin.Pick(_context, _endpoints, [_endpoints[3]]);

    [Benchmark]
    public UpstreamEndpoint? Power_of_two_choices_pick() => _p2c.Pick(_context, _endpoints, [_endpoints[3]]);

    [Benchmark]
    public ValueTask<ForwardRoute?> Resolve_wildcard_among_100_routes() => _resolver.ResolveAsync(_context, CancellationToken.None);

    [Benchmark]
    public int Proxy_v2_header_with_authority() => _proxyV2.Write(_context, _header);

    private static class TestingContexts
    {
        public static ForwardingContext Create(string sni)
        {
            var context = new ForwardingContext(1, new IPEndPoint(IPAddress.Loopback, 443), new IPEndPoint(IPAddress.Loopback, 50000), CancellationToken.None)
            {
                SniffStatus = MeshGateway.ClientHello.ClientHelloStatus.Done,
                ClientHello = new SniffedClientHello(sni, [], 0),
            };
            return context;
        }
    }
}
