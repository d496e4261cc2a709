using System.Diagnostics.Metrics;
using System.Threading.Channels;
using MeshGateway.Consul.Tests.Infrastructure;
using MeshGateway.Consul.Watch;
using MeshGateway.Testing.Consul;
using Microsoft.Extensions.Time.Testing;

namespace MeshGateway.Consul.Tests.Watch;

public class ConsulMeshWatcherFailureTests
{
    [Fact]
    public async Task Errors_back_off_on_the_clock_and_the_watch_recovers_when_the_agent_answers_again()
    {
        await using FakeConsulAgent agent = await FakeConsulAgent.StartAsync();
        agent.Set("/v1/catalog/services", Catalog.Services("web"));
        agent.Set("/v1/health/connect/web", Catalog.List(Catalog.Proxy("web", "node-a", "10.0.0.1", "10.0.1.1", 21000)));
        agent.Set("/v1/catalog/datacenters", Catalog.Datacenters("dc1")); // both loops recover, neither ends on a 404
        agent.Failing = true;
        var time = new TimerCountingTimeProvider();
        await using ConsulMeshWatcher watcher = WatcherFixture.Create(agent, WatcherFixture.Options with
        {
            TimeProvider = time,
            RetryBaseDelay = TimeSpan.FromSeconds(1),
            RetryMaxDelay = TimeSpan.FromSeconds(8),
            WatchConfigEntries = false,
            TrustDomain = "t.consul",
        });

        watcher.Start();
        ConsulConnectionStatus failed = await watcher.WaitForStatusAsync(s => !s.Connected && s.LastError is not null);
        await agent.WaitForRequestsAsync("/v1/catalog/services", 1, TestContext.Current.CancellationToken);

        Assert.Contains("HTTP 500", failed.LastError, StringComparison.Ordinal);
        Assert.Equal(0, watcher.Current.Version);

        // Both loops (services, datacenters) failed and are waiting on the clock.
        await time.WaitForTimersAsync(2);
        agent.Failing = false;
        time.Advance(TimeSpan.FromSeconds(1)); // the first ceiling: every retry is due by now
        ConsulMeshSnapshot snapshot = await watcher.WaitUntilAsync(s => s.LocalServices.ContainsKey("web"));
        // Services and datacenters recover in either order; the status is clear once both have answered.
        ConsulConnectionStatus recovered = await watcher.WaitForStatusAsync(s => s.Connected && s.LastError is null);

        Assert.Equal(2, agent.RequestsTo("/v1/catalog/services").Count(r => r.Index is null));
        Assert.Null(recovered.LastError);
        Assert.Equal(time.GetUtcNow(), recovered.LastContact);
        Assert.Single(snapshot.LocalServices["web"]);
    }

    [Fact]
    public async Task Agent_gone_keeps_the_last_snapshot_reports_disconnected_and_recovers()
    {
        await using FakeConsulAgent agent = await FakeConsulAgent.StartAsync();
        agent.Set("/v1/catalog/services", Catalog.Services("web"));
        agent.Set("/v1/health/connect/web", Catalog.List(Catalog.Proxy("web", "node-a", "10.0.0.1", "10.0.1.1", 21000)));
        await using ConsulMeshWatcher watcher = WatcherFixture.Create(agent);
        using var gauge = new GaugeReader(ConsulMeshWatcher.MeterName, "meshgateway.consul.connected", agent.Address.ToString());
        watcher.Start();
        ConsulMeshSnapshot before = await watcher.WaitUntilAsync(s => s.LocalServices.ContainsKey("web"));
        await watcher.WaitForStatusAsync(s => s.Connected);
        Assert.Equal(1, gauge.Read());

        await agent.StopAsync();
        ConsulConnectionStatus gone = await watcher.WaitForStatusAsync(s => !s.Connected);

        // Nothing can answer now: whatever the watcher holds is what it keeps, and it still routes web.
        ConsulMeshSnapshot held = watcher.Current;
        Assert.Equal(before.LocalServices["web"], held.LocalServices["web"]);
        Assert.NotNull(gone.LastError);
        Assert.NotNull(gone.LastContact);
        Assert.Equal(0, gauge.Read());
        Assert.Same(held, watcher.Current);

        agent.Set("/v1/health/connect/web", Catalog.List(Catalog.Proxy("web", "node-b", "10.0.0.2", "10.0.1.2", 21001)));
        await agent.RestartAsync();
        ConsulMeshSnapshot after = await watcher.WaitUntilAsync(s => s.LocalServices["web"][0].Node == "node-b");
        await watcher.WaitForStatusAsync(s => s.Connected);

        Assert.Equal(("10.0.1.2", 21001), (after.LocalServices["web"][0].Host, after.LocalServices["web"][0].Port));
        Assert.Equal(1, gauge.Read());
    }

    [Fact]
    public async Task Concurrent_blocking_queries_stay_within_the_configured_bound()
    {
        await using FakeConsulAgent agent = await FakeConsulAgent.StartAsync();
        string[] names = ["s1", "s2", "s3", "s4", "s5"];
        agent.Set("/v1/catalog/services", Catalog.Services(names));
        foreach (string name in names)
        {
            agent.Set("/v1/health/connect/" + name, Catalog.List(Catalog.Proxy(name, "node-" + name, "10.0.0.1", "10.0.1.1", 21000)));
        }

        await using ConsulMeshWatcher watcher = WatcherFixture.Create(agent, WatcherFixture.Options with
        {
            MaxConcurrentQueries = 2,
            WaitTime = TimeSpan.FromSeconds(1),
        });

        watcher.Start();
        await watcher.WaitUntilAsync(s => s.LocalServices.Count == names.Length);

        Assert.InRange(agent.MaxInFlight, 1, 2);
    }

    /// <summary>A fake clock that says when timers (the backoff delays) were created, so the test advances it after them.</summary>
    private sealed class TimerCountingTimeProvider : FakeTimeProvider
    {
        private readonly Channel<bool> created = Channel.CreateUnbounded<bool>();

        public TimerCountingTimeProvider()
            : base(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero))
        {
        }

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            ITimer timer = base.CreateTimer(callback, state, dueTime, period);
            created.Writer.TryWrite(true);
            return timer;
        }

        public async Task WaitForTimersAsync(int count)
        {
            for (int i = 0; i < count; i++)
            {
                using var patience = new CancellationTokenSource(Catalog.Patience);
                await created.Reader.ReadAsync(patience.Token);
            }
        }
    }

    /// <summary>Reads an observable gauge on demand with a <see cref="MeterListener"/>.</summary>
    private sealed class GaugeReader : IDisposable
    {
        private readonly MeterListener listener = new();
        private int value = -1;

        public GaugeReader(string meter, string instrument, string address)
        {
            listener.InstrumentPublished = (i, l) =>
            {
                if (i.Meter.Name == meter && i.Name == instrument)
                {
                    l.EnableMeasurementEvents(i);
                }
            };
            listener.SetMeasurementEventCallback<int>((_, measurement, tags, _) =>
            {
                foreach (KeyValuePair<string, object?> tag in tags)
                {
                    if (tag.Key == "consul.address" && Equals(tag.Value, address))
                    {
                        value = measurement;
                    }
                }
            });
            listener.Start();
        }

        public int Read()
        {
            value = -1;
            listener.RecordObservableInstruments();
            return value;
        }

        public void Dispose() => listener.Dispose();
    }
}
