using MeshGateway.Forwarding;

namespace MeshGateway.Forwarding.Tests.Splicing;

/// <summary>How many own readiness loops the splice pump starts (runtime option <c>MeshGateway.Forwarding.SpliceLoops</c>).</summary>
public class SpliceLoopCountTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(8, 8)]
    [InlineData(256, 256)]
    [InlineData("4", 4)]
    public void A_count_from_1_to_256_is_taken_as_given(object option, int expected) =>
        Assert.Equal(expected, EpollReadiness.ConfiguredLoopCount(option));

    [Theory]
    [InlineData(null)]
    [InlineData(0)]
    [InlineData(-3)]
    [InlineData(257)]
    [InlineData("many")]
    [InlineData(" 4")]
    [InlineData(4.0)]
    public void Anything_else_means_one_loop_per_processor(object? option) =>
        Assert.Equal(Environment.ProcessorCount, EpollReadiness.ConfiguredLoopCount(option));
}
