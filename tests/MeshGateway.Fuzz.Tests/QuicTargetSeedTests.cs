using MeshGateway.ClientHello;
using MeshGateway.Fuzz.Targets;

namespace MeshGateway.Fuzz.Tests;

public class QuicTargetSeedTests
{
    public static TheoryData<string> Seeds => new(Directory.EnumerateFiles(Path.Combine(AppContext.BaseDirectory, "fuzz", "seeds", "quic")).Select(Path.GetFileName)!);

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Quic_seed_reaches_a_parsed_hello_so_mutations_start_deep(string name)
    {
        byte[] input = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "fuzz", "seeds", "quic", name));

        Assert.Equal(QuicSniffStatus.Done, QuicInitialTarget.FinalStatus(input));
    }

    [Fact]
    public void Quic_target_runs_clean_on_a_frame_not_allowed_in_initial()
    {
        // Frames mode with a STREAM frame: Malformed with its reason, which breaks no invariant.
        new QuicInitialTarget().Run([0x01, 0x00, 0x04, 0x08, 0x00, 0x01, 0x61]);
    }
}
