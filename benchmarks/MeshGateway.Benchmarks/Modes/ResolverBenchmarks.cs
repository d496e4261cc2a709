using BenchmarkDotNet.Attributes;
using MeshGateway.Modes;

namespace MeshGateway.Benchmarks.Modes;

/// <summary>
/// <see cref="MeshGatewayModeResolver.Resolve"/> (target: under 50 ns and 0 B per call) for the fastest case
/// (the upstream decides), the slowest fold (only the target service's defaults are set), a peered target and a
/// cross-partition target (string comparisons), plus mode parsing.
/// </summary>
[MemoryDiagnoser]
public class ResolverBenchmarks
{
    private readonly MeshGatewayModeLayers _upstreamDecides = new(Upstream: MeshGatewayMode.Remote, ProxyDefaults: MeshGatewayMode.Local);
    private readonly MeshGatewayModeLayers _lastLayerDecides = new(TargetServiceDefaults: MeshGatewayMode.Remote);
    private readonly MeshGatewayModeLayers _nothingSet = new(Upstream: MeshGatewayMode.Default);
    private readonly UpstreamTarget _otherDatacenter = UpstreamTarget.InDatacenter("dc1", "dc2");
    private readonly UpstreamTarget _peer = UpstreamTarget.FromPeer("cluster-02");
    private readonly UpstreamTarget _otherPartition = new("dc1", "dc1", "default", "part1");
    private readonly string _remoteText = "remote";
    private readonly string _invalidText = "Remote";

    [Benchmark(Baseline = true)]
    public MeshGatewayResolution Upstream_decides_other_datacenter() =>
        MeshGatewayModeResolver.Resolve(in _upstreamDecides, in _otherDatacenter);

    [Benchmark]
    public MeshGatewayResolution Target_defaults_decide_other_datacenter() =>
        MeshGatewayModeResolver.Resolve(in _lastLayerDecides, in _otherDatacenter);

    [Benchmark]
    public MeshGatewayResolution Nothing_set_peer() =>
        MeshGatewayModeResolver.Resolve(in _nothingSet, in _peer);

    [Benchmark]
    public MeshGatewayResolution Target_defaults_decide_other_partition() =>
        MeshGatewayModeResolver.Resolve(in _lastLayerDecides, in _otherPartition);

    [Benchmark]
    public MeshGatewayMode Parse_remote()
    {
        return MeshGatewayModeParser.TryParse(_remoteText.AsSpan(), out MeshGatewayMode mode) ? mode : MeshGatewayMode.Default;
    }

    [Benchmark]
    public bool Parse_invalid() => MeshGatewayModeParser.TryParse(_invalidText.AsSpan(), out _);
}
