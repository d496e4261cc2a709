using System.Diagnostics.Metrics;
using System.Text;
using MeshGateway.Forwarding;
using Microsoft.Extensions.Time.Testing;

namespace MeshGateway.Forwarding.Tests.Observability;

/// <summary>The connection log never makes forwarding wait: a full queue drops and counts (issue 14 item 2).</summary>
public class ConnectionLogWriterTests
{
    [Fact]
    public async Task Lines_are_written_in_order_and_flushed_on_dispose()
    {
        var output = new StringWriter();
        await using (var log = new ConnectionLogWriter(output))
        {
            for (int i = 0; i < 100; i++)
            {
                Assert.True(log.TryWrite($"line {i}"));
            }
        }

        Assert.Equal(Enumerable.Range(0, 100).Select(i => $"line {i}"), output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task Stuck_output_never_blocks_the_caller_drops_and_counts_and_reports_once_it_moves()
    {
        var time = new FakeTimeProvider();
        using var output = new GatedWriter();
        long counted = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Name == ConnectionLogWriter.DroppedCounterName && instrument.Meter.Name == "MeshGateway.Forwarding")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref counted, value));
        listener.Start();

        await using var log = new ConnectionLogWriter(output, capacity: 4, timeProvider: time);
        Assert.True(log.TryWrite("first"));
        await output.Blocked.Task; // the writer thread is stuck in WriteLine("first")

        int accepted = 0;
        for (int i = 0; i < 20; i++)
        {
            accepted += log.TryWrite($"line {i}") ? 1 : 0; // returns at once although the output is stuck
        }

        Assert.Equal(4, accepted);
        Assert.Equal(16, log.DroppedLines);
        Assert.Equal(16, Interlocked.Read(ref counted));

        output.Release();
        string report = await output.NextLineAsync(line => line.StartsWith("dropped", StringComparison.Ordinal));
        Assert.Equal("dropped 16 connection log lines", report);
        Assert.Equal(["first", "line 0", "line 1", "line 2", "line 3", report], output.Lines);
    }

    [Fact]
    public async Task Drop_report_comes_at_most_once_per_interval()
    {
        var time = new FakeTimeProvider();
        using var output = new GatedWriter();
        await using var log = new ConnectionLogWriter(output, capacity: 1, timeProvider: time);
        log.TryWrite("a");
        await output.Blocked.Task;
        log.TryWrite("b");
        log.TryWrite("dropped-1");
        output.Release();
        Assert.Equal("dropped 1 connection log lines", await output.NextLineAsync(l => l.StartsWith("dropped ", StringComparison.Ordinal)));

        output.Hold();
        log.TryWrite("c");
        await output.Blocked.Task;
        log.TryWrite("d");
        log.TryWrite("dropped-2");
        log.TryWrite("dropped-3");
        output.Release();
        await output.NextLineAsync(l => l == "d");
        Assert.DoesNotContain(output.Lines, l => l == "dropped 2 connection log lines");

        // The writer thread may read the clock just before this advance and arm its wake-up from the advanced time;
        // advancing again (a whole interval each time) lets it report without ever reporting twice in one interval.
        Task<string> report = output.NextLineAsync(l => l == "dropped 2 connection log lines");
        for (int i = 0; i < 100 && !report.IsCompleted; i++)
        {
            time.Advance(ConnectionLogWriter.DropReportInterval);
            await Task.WhenAny(report, Task.Delay(50, TestContext.Current.CancellationToken));
        }

        Assert.Equal("dropped 2 connection log lines", await report.WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken));
    }

    /// <summary>A TextWriter whose WriteLine blocks while held, like a pipe nobody reads.</summary>
    private sealed class GatedWriter : TextWriter
    {
        private readonly object _gate = new();
        private readonly List<string> _lines = [];
        private bool _held = true;

        public TaskCompletionSource Blocked { get; private set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override Encoding Encoding => Encoding.UTF8;

        public IReadOnlyList<string> Lines
        {
            get
            {
                lock (_gate)
                {
                    return [.. _lines];
                }
            }
        }

        public override void WriteLine(string? value)
        {
            lock (_gate)
            {
                while (_held)
                {
                    Blocked.TrySetResult();
                    Monitor.Wait(_gate);
                }

                _lines.Add(value!);
                Monitor.PulseAll(_gate);
            }
        }

        public void Release()
        {
            lock (_gate)
            {
                _held = false;
                Monitor.PulseAll(_gate);
            }
        }

        public void Hold()
        {
            lock (_gate)
            {
                _held = true;
                Blocked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }

        public async Task<string> NextLineAsync(Func<string, bool> match)
        {
            while (true)
            {
                lock (_gate)
                {
                    if (_lines.FirstOrDefault(match) is { } line)
                    {
                        return line;
                    }
                }

                await Task.Yield();
                TestContext.Current.CancellationToken.ThrowIfCancellationRequested();
            }
        }
    }
}
