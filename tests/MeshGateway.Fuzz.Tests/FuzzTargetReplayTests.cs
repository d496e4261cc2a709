namespace MeshGateway.Fuzz.Tests;

public class FuzzTargetReplayTests
{
    [Theory]
    [MemberData(nameof(FuzzCorpus.Files), MemberType = typeof(FuzzCorpus))]
    public void Seed_and_saved_crash_inputs_run_clean_through_their_target(string target, string relativePath)
    {
        IFuzzTarget fuzzTarget = Assert.IsAssignableFrom<IFuzzTarget>(FuzzTargets.Find(target));
        byte[] input = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, relativePath));

        fuzzTarget.Run(input);
    }

    [Fact]
    public void Every_target_has_seeds()
    {
        var targets = FuzzCorpus.Files().Select(row => row.Data.Item1).ToHashSet();

        Assert.All(FuzzTargets.All, t => Assert.Contains(t.Name, targets));
    }
}
