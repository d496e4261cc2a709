using FsCheck;
using FsCheck.Fluent;
using MeshGateway.Consul.Client;

namespace MeshGateway.Consul.Tests.Client;

public class ConsulBlockingIndexTests
{
    [Theory]
    [InlineData(0UL, 42UL, 42UL)]   // first read: block from the returned index
    [InlineData(42UL, 43UL, 43UL)]  // moved on
    [InlineData(42UL, 42UL, 42UL)]  // the wait elapsed without a change
    [InlineData(42UL, 7UL, 0UL)]    // went backwards: reset, read afresh
    [InlineData(0UL, 0UL, 1UL)]     // zero: treated as one, so the next query blocks
    public void Next_index_follows_consuls_rules(ulong previous, ulong returned, ulong expected) =>
        Assert.Equal(expected, ConsulBlockingIndex.Next(previous, returned));

    [Fact]
    public void Missing_index_header_means_a_plain_read_next() => Assert.Equal(0UL, ConsulBlockingIndex.Next(42, null));

    [FsCheck.Xunit.Property]
    public Property Next_index_is_never_zero_unless_reset_and_never_below_a_returned_forward_index(ulong previous, ulong returned)
    {
        ulong next = ConsulBlockingIndex.Next(previous, returned);
        return (returned < previous ? next == 0 : next == Math.Max(returned, 1)).ToProperty();
    }

    [Fact]
    public void Query_of_index_zero_is_a_plain_read_and_otherwise_carries_index_and_wait()
    {
        Assert.Null(ConsulBlockingIndex.Query(0, TimeSpan.FromMinutes(5)));
        Assert.Equal("index=17&wait=300s", ConsulBlockingIndex.Query(17, TimeSpan.FromMinutes(5)));
    }

    [FsCheck.Xunit.Property]
    public Property Client_timeout_is_above_the_wait_plus_consuls_jitter(PositiveInt seconds)
    {
        TimeSpan wait = TimeSpan.FromSeconds(Math.Min(seconds.Get, 600));
        return (ConsulBlockingIndex.ClientTimeout(wait, TimeSpan.FromSeconds(1)) > wait + (wait / 16)).ToProperty();
    }

    [FsCheck.Xunit.Property]
    public Property Backoff_stays_in_the_upper_half_of_a_doubling_capped_ceiling(PositiveInt failures, NormalFloat random)
    {
        double unit = Math.Abs(random.Get) % 1;
        TimeSpan baseDelay = TimeSpan.FromSeconds(1);
        TimeSpan max = TimeSpan.FromMinutes(1);
        TimeSpan delay = ConsulBackoff.Delay(failures.Get, baseDelay, max, unit);
        double ceiling = Math.Min(max.Ticks, baseDelay.Ticks * Math.Pow(2, Math.Min(failures.Get - 1, 30)));
        return (delay.Ticks >= (long)(ceiling / 2) - 1 && delay.Ticks <= (long)ceiling).ToProperty();
    }

    [Fact]
    public void Backoff_ceiling_doubles_per_failure_up_to_the_maximum()
    {
        TimeSpan Ceiling(int failures) => ConsulBackoff.Delay(failures, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10), 1.0);

        Assert.Equal(
            [1, 2, 4, 8, 10, 10],
            new[] { 1, 2, 3, 4, 5, 40 }.Select(f => Ceiling(f).TotalSeconds));
    }
}
