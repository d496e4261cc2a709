using FsCheck;
using FsCheck.Fluent;

namespace MeshGateway.Modes.Tests.Resolution;

/// <summary>Generators for layers and targets: small name sets so that equal and different names both occur often.</summary>
public static class ModesArbitraries
{
    public static readonly MeshGatewayMode[] AllModes =
        [MeshGatewayMode.Default, MeshGatewayMode.None, MeshGatewayMode.Local, MeshGatewayMode.Remote];

    private static Gen<MeshGatewayMode> Mode => Gen.Elements(AllModes);

    public static Arbitrary<MeshGatewayModeLayers> Layers() =>
        Gen.ArrayOf(Mode, MeshGatewayModeLayers.Count)
            .Select(m => new MeshGatewayModeLayers(m[0], m[1], m[2], m[3], m[4], m[5], m[6]))
            .ToArbitrary();

    public static Arbitrary<UpstreamTarget> Targets()
    {
        Gen<string?> datacenter = Gen.Elements<string?>(null, "", "dc1", "dc2");
        Gen<string?> partition = Gen.Elements<string?>(null, "", "default", "part1");
        Gen<string?> peer = Gen.Elements<string?>(null, null, null, "", "cluster-02");
        Gen<bool> rare = Gen.Elements(false, false, false, true);
        return
            (from localDc in datacenter
             from targetDc in datacenter
             from localPartition in partition
             from targetPartition in partition
             from p in peer
             from external in rare
             from query in rare
             select new UpstreamTarget(localDc, targetDc, localPartition, targetPartition, p, external, query))
            .ToArbitrary();
    }

    public static Arbitrary<MeshGatewayModeSource> Sources() =>
        Gen.Elements(Enum.GetValues<MeshGatewayModeSource>().Where(s => s != MeshGatewayModeSource.Unset).ToArray())
            .ToArbitrary();

    public static Arbitrary<MeshGatewayMode> Modes() => Mode.ToArbitrary();
}
