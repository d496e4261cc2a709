using Microsoft.Extensions.Options;

namespace MeshGateway.Forwarding.Tests.Engine;

/// <summary>
/// <see cref="TcpForwarder.UpdateOptions"/>: one settings snapshot per connection, taken when it is accepted; an update
/// applies to the next connection and never to one in flight.
/// </summary>
public class SettingsUpdateTests
{
    private static ForwarderOptions Options(Action<ForwarderOptions> change)
    {
        var options = new ForwarderOptions
        {
            SniffTimeout = TimeSpan.FromSeconds(10),
            RouteTimeout = TimeSpan.FromSeconds(5),
            IdleTimeout = TimeSpan.FromMinutes(5),
            HalfClosedTimeout = TimeSpan.FromSeconds(30),
        };
        change(options);
        return options;
    }

    [Fact]
    public async Task A_shorter_idle_timeout_closes_the_next_connection_and_not_the_one_in_flight()
    {
        await using var harness = EngineHarness.Start();
        (_, _, Task<ForwardingResult> before) = await harness.StreamingAsync();

        harness.Forwarder.UpdateOptions(Options(o => o.IdleTimeout = TimeSpan.FromMinutes(1)));
        (_, _, Task<ForwardingResult> after) = await harness.StreamingAsync();
        harness.Time.Advance(TimeSpan.FromMinutes(1));

        Assert.Equal(CloseCause.IdleTimeout, (await after).Cause);
        Assert.False(before.IsCompleted);
        harness.Time.Advance(TimeSpan.FromMinutes(4));
        Assert.Equal(CloseCause.IdleTimeout, (await before).Cause);
    }

    [Fact]
    public async Task Routes_replaced_with_the_settings_reach_the_next_connection_and_not_one_accepted_before_that_routes_later()
    {
        await using var harness = EngineHarness.Start();
        (MemoryPeer early, Task<ForwardingResult> earlyResult) = harness.Connect(); // accepted, still waiting for its hello

        harness.Forwarder.UpdateOptions(Options(o => o.IdleTimeout = TimeSpan.FromMinutes(1)), new LambdaResolver(_ => null));
        (MemoryPeer late, Task<ForwardingResult> lateResult) = harness.Connect();
        await late.SendAsync(EngineHarness.Hello);
        Assert.Equal(CloseCause.NoRoute, (await lateResult).Cause);

        // The connection accepted before the update routes after it, with the routes and timeouts it was accepted under.
        await early.SendAsync(EngineHarness.Hello);
        MemoryPeer upstream = await harness.NextUpstreamAsync();
        Assert.Equal(EngineHarness.Hello, await upstream.ReceiveExactlyAsync(EngineHarness.Hello.Length));
        harness.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.False(earlyResult.IsCompleted);
        harness.Time.Advance(TimeSpan.FromMinutes(4));
        Assert.Equal(CloseCause.IdleTimeout, (await earlyResult).Cause);
    }

    [Fact]
    public async Task A_lower_connection_cap_refuses_the_next_connection_and_keeps_those_admitted()
    {
        await using var harness = EngineHarness.Start(o => o.MaxConnections = 10);
        (_, _, Task<ForwardingResult> first) = await harness.StreamingAsync();
        (_, _, Task<ForwardingResult> second) = await harness.StreamingAsync();

        harness.Forwarder.UpdateOptions(Options(o => o.MaxConnections = 1));
        (_, Task<ForwardingResult> refused) = harness.Connect();

        Assert.Equal(1, harness.Forwarder.MaxConnections);
        Assert.Equal(CloseCause.ConnectionLimit, (await refused).Cause);
        Assert.False(first.IsCompleted);
        Assert.False(second.IsCompleted);
        Assert.Equal(2, harness.Forwarder.ActiveConnections);
    }

    [Fact]
    public async Task Pump_and_the_client_hello_budget_stay_as_built()
    {
        await using var harness = EngineHarness.Start();

        harness.Forwarder.UpdateOptions(Options(o =>
        {
            o.Pump = PumpMode.SpliceWhenPossible;
            o.MaxClientHelloBytes = 1024;
            o.BufferSize = 4096;
        }));

        Assert.Equal(PumpMode.Auto, harness.Forwarder.Settings.Pump);
        Assert.Equal(16 * 1024, harness.Forwarder.Settings.MaxClientHelloBytes);
        Assert.Equal(4096, harness.Forwarder.Settings.BufferSize);
    }

    [Fact]
    public async Task An_invalid_update_throws_with_every_error_and_the_settings_in_force_stay()
    {
        await using var harness = EngineHarness.Start();
        ForwarderSettings before = harness.Forwarder.Settings;

        OptionsValidationException error = Assert.Throws<OptionsValidationException>(() => harness.Forwarder.UpdateOptions(Options(o =>
        {
            o.IdleTimeout = TimeSpan.Zero;
            o.MaxConnectAttempts = 0;
        })));

        Assert.Equal(2, error.Failures.Count());
        Assert.Same(before, harness.Forwarder.Settings);
    }
}
