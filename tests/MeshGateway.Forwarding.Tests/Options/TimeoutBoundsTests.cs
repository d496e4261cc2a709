using MeshGateway.Forwarding;

namespace MeshGateway.Forwarding.Tests.Options;

/// <summary>Every timeout is bounded by what a runtime timer can hold (issue 14 item 5: "connect": "100000h").</summary>
public class TimeoutBoundsTests
{
    [Fact]
    public void Max_timeout_is_the_longest_runtime_timer()
    {
        Assert.Equal(TimeSpan.FromMilliseconds(uint.MaxValue - 1), ForwarderOptions.MaxTimeout);

        // The bound itself is accepted by every timer the engine creates.
        using var cts = new CancellationTokenSource(ForwarderOptions.MaxTimeout, TimeProvider.System);
        Assert.False(cts.IsCancellationRequested);
    }

    [Fact]
    public void Timeouts_beyond_what_a_timer_holds_are_all_reported_at_once_with_their_names()
    {
        TimeSpan absurd = TimeSpan.FromHours(100_000);
        var options = new ForwarderOptions
        {
            SniffTimeout = absurd,
            RouteTimeout = absurd,
            ConnectTimeout = absurd,
            IdleTimeout = absurd,
            HalfClosedTimeout = absurd,
            DrainTimeout = absurd,
        };

        var result = new ForwarderOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        foreach (string name in new[] { "SniffTimeout", "RouteTimeout", "ConnectTimeout", "IdleTimeout", "HalfClosedTimeout", "DrainTimeout" })
        {
            Assert.Contains(result.Failures!, f => f.Contains(name, StringComparison.Ordinal) && f.Contains("at most", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void A_timeout_at_the_bound_is_valid_and_one_tick_over_is_not()
    {
        var atBound = new ForwarderOptions { ConnectTimeout = ForwarderOptions.MaxTimeout, DrainTimeout = ForwarderOptions.MaxTimeout };
        var over = new ForwarderOptions { ConnectTimeout = ForwarderOptions.MaxTimeout + TimeSpan.FromTicks(1) };

        Assert.True(new ForwarderOptionsValidator().Validate(null, atBound).Succeeded);
        Assert.True(new ForwarderOptionsValidator().Validate(null, over).Failed);
    }

    [Fact]
    public void Route_timeout_must_be_positive_and_defaults_to_five_seconds()
    {
        Assert.Equal(TimeSpan.FromSeconds(5), new ForwarderOptions().RouteTimeout);
        var result = new ForwarderOptionsValidator().Validate(null, new ForwarderOptions { RouteTimeout = TimeSpan.Zero });
        Assert.Contains(result.Failures!, f => f.Contains("RouteTimeout", StringComparison.Ordinal) && f.Contains("positive", StringComparison.Ordinal));
    }
}
