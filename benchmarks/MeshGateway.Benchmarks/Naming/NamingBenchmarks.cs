using BenchmarkDotNet.Attributes;
using MeshGateway.Naming;

namespace MeshGateway.Benchmarks.Naming;

/// <summary>
/// The Naming hot paths (target: under 50 ns and 0 B each): formatting a service SNI, parsing one into a span view,
/// and looking names up in a realistic mesh-gateway table (dc1 with 200 services of 2 subsets each, 20 remote
/// datacenters, so 600 exact rules and 40 wildcard/exact gateway rules).
/// </summary>
[BenchmarkCategory("Naming")]
[MinColumn]
public class NamingBenchmarks
{
    private const string Td = "11111111-2222-3333-4444-555555555555.consul";
    private const string LocalSni = "v1.service-137.default.dc1.internal." + Td;
    private const string LocalSniMixedCase = "V1.Service-137.default.DC1.internal." + Td + ".";
    private const string RemoteSni = "v2.web.default.dc17.internal." + Td;
    private const string UnknownSni = "web.default.dc99.internal." + Td;

    private readonly char[] _buffer = new char[256];
    private ConsulSniName _service;
    private SniRouteTable<MeshGatewayRoute> _table = null!;

    [GlobalSetup]
    public void Setup()
    {
        _service = ConsulSniName.ForService("service-137", "v1", "default", null, "dc1", Td);
        var builder = new MeshGatewayRouteBuilder("dc1", null, Td);
        for (int i = 0; i < 200; i++)
        {
            builder.AddLocalService($"service-{i}", subsets: ["v1", "v2"]);
        }

        for (int i = 2; i < 22; i++)
        {
            builder.AddRemoteGateway($"dc{i}");
        }

        _table = builder.Build();
    }

    [Benchmark]
    public int Format_service_sni()
    {
        _service.TryFormat(_buffer, out int written);
        return written;
    }

    [Benchmark]
    public ConsulSniKind Parse_service_sni_with_trust_domain()
    {
        ConsulSniParser.TryParse(LocalSni, Td, out ConsulSniView view);
        return view.Kind;
    }

    [Benchmark]
    public ConsulSniKind Parse_service_sni_without_trust_domain()
    {
        ConsulSniParser.TryParse(LocalSni, default, out ConsulSniView view);
        return view.Kind;
    }

    [Benchmark]
    public SniMatchKind Lookup_local_service_exact()
    {
        _table.TryLookup(LocalSni, out _, out SniMatchKind kind);
        return kind;
    }

    [Benchmark]
    public SniMatchKind Lookup_local_service_mixed_case_final_dot()
    {
        _table.TryLookup(LocalSniMixedCase, out _, out SniMatchKind kind);
        return kind;
    }

    [Benchmark]
    public SniMatchKind Lookup_remote_datacenter_wildcard()
    {
        _table.TryLookup(RemoteSni, out _, out SniMatchKind kind);
        return kind;
    }

    [Benchmark]
    public SniMatchKind Lookup_remote_datacenter_wildcard_from_bytes()
    {
        _table.TryLookup("v2.web.default.dc17.internal.11111111-2222-3333-4444-555555555555.consul"u8, out _, out SniMatchKind kind);
        return kind;
    }

    [Benchmark]
    public SniMatchKind Lookup_unknown_no_route()
    {
        _table.TryLookup(UnknownSni, out _, out SniMatchKind kind);
        return kind;
    }
}
