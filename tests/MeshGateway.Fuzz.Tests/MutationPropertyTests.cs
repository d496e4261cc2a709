using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace MeshGateway.Fuzz.Tests;

/// <summary>
/// The fuzz targets' invariants (never throw; one-shot, byte-at-a-time, multi-segment and re-framed parses agree)
/// over mutated real captures and random bytes: a cheap, deterministic slice of what AFL++ explores in fuzz/run.sh.
/// </summary>
public class MutationPropertyTests
{
    [Property(MaxTest = 1500, Arbitrary = [typeof(MutatedCaptures)])]
    public void Mutated_captures_parse_the_same_every_way_and_never_throw(byte[] input) =>
        FuzzTargets.Find("clienthello")!.Run(input);

    [Property(MaxTest = 3000)]
    public void Random_bytes_parse_the_same_every_way_and_never_throw(byte[] input) =>
        FuzzTargets.Find("clienthello")!.Run(input);

    [Property(MaxTest = 3000)]
    public void Random_names_never_throw_and_accepted_names_round_trip(NonNull<string> name) =>
        FuzzTargets.Find("consul-sni")!.Run(System.Text.Encoding.UTF8.GetBytes(name.Get));

    [Property(MaxTest = 3000)]
    public void Random_config_bytes_give_a_consistent_result(byte[] input) =>
        FuzzTargets.Find("modes-config")!.Run(input);

    [Property(MaxTest = 3000)]
    public void Random_hcl_bytes_give_a_consistent_result_with_positions_inside(byte[] input) =>
        FuzzTargets.Find("modes-hcl")!.Run(input);

    [Property(MaxTest = 1500, Arbitrary = [typeof(MutatedHclSeeds)])]
    public void Mutated_hcl_seeds_give_a_consistent_result_with_positions_inside(byte[] input) =>
        FuzzTargets.Find("modes-hcl")!.Run(input);

    [Property(MaxTest = 3000)]
    public void Random_connections_give_proxy_headers_that_read_back_the_same(byte[] input) =>
        FuzzTargets.Find("proxy-protocol")!.Run(input);
}

/// <summary>FsCheck arbitrary: an HCL seed (fuzz/seeds/modes-hcl) with up to 8 bytes overwritten, then maybe truncated.</summary>
public static class MutatedHclSeeds
{
    private static readonly byte[][] Seeds = Directory
        .EnumerateFiles(Path.Combine(AppContext.BaseDirectory, "fuzz", "seeds", "modes-hcl"))
        .Select(File.ReadAllBytes)
        .ToArray();

    public static Arbitrary<byte[]> ByteArrays() => MutatedCaptures.Mutations(Seeds);
}

/// <summary>FsCheck arbitrary: a real capture with up to 8 bytes overwritten, then maybe truncated.</summary>
public static class MutatedCaptures
{
    private static readonly byte[][] Captures = FuzzCorpus.Captures();

    public static Arbitrary<byte[]> ByteArrays() => Mutations(Captures);

    internal static Arbitrary<byte[]> Mutations(byte[][] inputs) =>
        (from index in Gen.Choose(0, inputs.Length - 1)
         from edits in Gen.ListOf(Gen.Zip(Gen.Choose(0, int.MaxValue), Gen.Choose(0, 255))).Select(l => l.Take(8).ToArray())
         from cut in Gen.Frequency((3, Gen.Constant(-1)), (1, Gen.Choose(0, int.MaxValue)))
         select Mutate(inputs[index], edits, cut)).ToArbitrary();

    private static byte[] Mutate(byte[] original, (int Position, int Value)[] edits, int cut)
    {
        byte[] copy = (byte[])original.Clone();
        foreach (var (position, value) in edits)
        {
            copy[position % copy.Length] = (byte)value;
        }

        return cut < 0 ? copy : copy[..(cut % (copy.Length + 1))];
    }
}
