using FsCheck;
using FsCheck.Fluent;
using MeshGateway.Forwarding;

namespace MeshGateway.Forwarding.Tests.Options;

/// <summary>One duration syntax: unit suffixes and .NET TimeSpan text both read, both bounded the same way.</summary>
public class ForwarderDurationTests
{
    [Theory]
    [InlineData("500ms", 500)]
    [InlineData("10s", 10_000)]
    [InlineData("1.5m", 90_000)]
    [InlineData("1h", 3_600_000)]
    [InlineData("00:00:10", 10_000)]
    [InlineData("00:00:00.5", 500)]
    [InlineData("1.00:00:00", 86_400_000)]
    public void Unit_and_timespan_syntaxes_both_read(string text, double milliseconds)
    {
        Assert.True(ForwarderDuration.TryParse(text, out TimeSpan duration, out string? error));
        Assert.Null(error);
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), duration);
    }

    [Theory]
    [InlineData(null, "is not a duration")]
    [InlineData("10", "is not a duration")]
    [InlineData("10 parsecs", "is not a duration")]
    [InlineData("-1s", "is not a duration")]
    [InlineData("00:00:00", "is not a duration")]
    [InlineData("-00:00:10", "is not a duration")]
    [InlineData("0.0000001ms", "is shorter than \"1ms\"")]
    [InlineData("1194h", "is longer than")]
    [InlineData("50.00:00:00", "is longer than")]
    [InlineData("99999999999999999999h", "is longer than")]
    public void Bad_or_out_of_range_text_says_why(string? text, string reason)
    {
        Assert.False(ForwarderDuration.TryParse(text, out TimeSpan duration, out string? error));
        Assert.Equal(TimeSpan.Zero, duration);
        Assert.StartsWith(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Any_text_parses_or_fails_without_throwing_and_success_is_in_range() =>
        Prop.ForAll<string>(text =>
        {
            bool ok = ForwarderDuration.TryParse(text, out TimeSpan duration, out string? error);
            return ok
                ? error is null && duration >= ForwarderDuration.Min && duration <= ForwarderOptions.MaxTimeout
                : error is not null && duration == TimeSpan.Zero;
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void Every_whole_second_round_trips_through_both_syntaxes() =>
        Prop.ForAll(Gen.Choose(1, 4_000_000).ToArbitrary(), seconds =>
        {
            TimeSpan expected = TimeSpan.FromSeconds(seconds);
            return ForwarderDuration.TryParse($"{seconds}s", out TimeSpan a, out _)
                && ForwarderDuration.TryParse(expected.ToString("c", System.Globalization.CultureInfo.InvariantCulture), out TimeSpan b, out _)
                && a == expected && b == expected;
        }).QuickCheckThrowOnFailure();
}
