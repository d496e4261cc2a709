namespace MeshGateway.Modes.Tests.Resolution;

public class ResolverAllocationTests
{
    [Fact]
    public void Resolve_allocates_nothing()
    {
        MeshGatewayModeLayers[] layers =
        [
            default,
            new(ProxyDefaults: MeshGatewayMode.Local),
            new(Upstream: MeshGatewayMode.None, TargetServiceDefaults: MeshGatewayMode.Remote),
            new(TargetServiceDefaults: MeshGatewayMode.Remote),
        ];
        UpstreamTarget[] targets =
        [
            UpstreamTarget.InDatacenter("dc1", "dc2"),
            UpstreamTarget.FromPeer("cluster-02"),
            new("dc1", "dc1", "default", "part1"),
            new("dc1", "dc2", HasExternalSni: true),
        ];

        int checksum = 0;
        for (int warm = 0; warm < 1000; warm++)
        {
            checksum += Run(layers, targets);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10_000; i++)
        {
            checksum += Run(layers, targets);
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.NotEqual(0, checksum);
    }

    private static int Run(MeshGatewayModeLayers[] layers, UpstreamTarget[] targets)
    {
        int sum = 0;
        foreach (MeshGatewayModeLayers l in layers)
        {
            foreach (UpstreamTarget t in targets)
            {
                var r = MeshGatewayModeResolver.Resolve(in l, in t);
                sum += (int)r.Path + (int)r.Source + (int)r.Mode;
            }
        }

        return sum;
    }
}
