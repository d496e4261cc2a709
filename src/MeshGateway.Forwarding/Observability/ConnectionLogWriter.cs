using System.Diagnostics.Metrics;
using System.Threading.Channels;

namespace MeshGateway.Forwarding;

/// <summary>
/// A log sink that never makes forwarding wait: <see cref="TryWrite"/> puts a line in a bounded queue and returns at
/// once; one background thread writes the queue to a <see cref="TextWriter"/> (flushing when the queue runs empty).
/// After a flush that followed lines, the writer lets <see cref="BatchDelay"/> pass before it looks again, so under a
/// steady stream of connections it wakes and writes a few hundred times a second, each time every line queued
/// meanwhile in one flush, instead of being woken (and writing) once per line; a line that comes alone is written at
/// once.
/// When the queue is full (the reader of a pipe stopped reading, a terminal is paused) the line is dropped and
/// counted: <see cref="DroppedLines"/>, the counter <c>meshgateway.log.dropped</c> on the <c>MeshGateway.Forwarding</c>
/// meter, and, at most once every 10 s once the writer can write again, a line <c>dropped N connection log lines</c>.
/// A write that fails (a closed pipe) drops the line the same way.
/// </summary>
public sealed class ConnectionLogWriter : IAsyncDisposable
{
    /// <summary>The default queue length, in lines.</summary>
    public const int DefaultCapacity = 4096;

    /// <summary>The counter's name.</summary>
    public const string DroppedCounterName = "meshgateway.log.dropped";

    /// <summary>How long the writer waits after a flush that followed lines before it reads the queue again.</summary>
    internal static readonly TimeSpan BatchDelay = TimeSpan.FromMilliseconds(5);

    /// <summary>How often, at most, the writer reports dropped lines.</summary>
    internal static readonly TimeSpan DropReportInterval = TimeSpan.FromSeconds(10);

    private readonly TextWriter _output;
    private readonly Channel<string> _queue;
    private readonly TimeProvider _time;
    private readonly Meter? _ownedMeter;
    private readonly Counter<long> _droppedCounter;
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _dropped;
    private long _unreported;

    /// <summary>Starts the writer thread.</summary>
    /// <param name="output">Where lines go; only the writer thread writes to it from now on.</param>
    /// <param name="capacity">Lines the queue holds before new ones are dropped (at least 1).</param>
    /// <param name="timeProvider">The clock of the drop report interval (default: system time).</param>
    /// <param name="meterFactory">Creates the <c>MeshGateway.Forwarding</c> meter (default: a meter of its own).</param>
    public ConnectionLogWriter(TextWriter output, int capacity = DefaultCapacity, TimeProvider? timeProvider = null, IMeterFactory? meterFactory = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _output = output;
        _time = timeProvider ?? TimeProvider.System;
        _queue = Channel.CreateBounded<string>(new BoundedChannelOptions(capacity)
        {
            FullMode = BoundedChannelFullMode.Wait, // TryWrite then returns false instead of waiting: we count the drop
            SingleReader = true,
            SingleWriter = false,
        });
        Meter meter = meterFactory?.Create(ForwarderMetrics.MeterName) ?? (_ownedMeter = new Meter(ForwarderMetrics.MeterName));
        _droppedCounter = meter.CreateCounter<long>(DroppedCounterName, "{line}", "Log lines dropped because the log's queue was full or its output failed.");
        var thread = new Thread(WriteLoop) { IsBackground = true, Name = "MeshGateway connection log" };
        thread.Start();
    }

    /// <summary>Lines dropped so far (queue full, write failed, or written after <see cref="DisposeAsync"/>).</summary>
    public long DroppedLines => Interlocked.Read(ref _dropped);

    /// <summary>How long <see cref="DisposeAsync"/> waits for the queue to be written out before giving up on it. Default 5 s.</summary>
    public TimeSpan FlushTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Queues <paramref name="line"/> (without its newline). Never blocks; returns false when the line was dropped.</summary>
    public bool TryWrite(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        if (_queue.Writer.TryWrite(line))
        {
            return true;
        }

        Drop(1);
        return false;
    }

    /// <summary>
    /// Stops taking lines and waits, at most <see cref="FlushTimeout"/>, for the queued ones to be written (an
    /// output nobody reads would otherwise hold the process forever; the writer thread is a background thread).
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        try
        {
            await _done.Task.WaitAsync(FlushTimeout, _time).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // The output is stuck; what is still queued is lost with the process.
        }

        _ownedMeter?.Dispose();
    }

    private void Drop(long lines)
    {
        Interlocked.Add(ref _dropped, lines);
        Interlocked.Add(ref _unreported, lines);
        _droppedCounter.Add(lines);
    }

    private void WriteLoop()
    {
        ChannelReader<string> reader = _queue.Reader;
        long lastReport = 0;
        try
        {
            while (true)
            {
                bool wrote = false;
                while (reader.TryRead(out string? line))
                {
                    Write(line);
                    wrote = true;
                }

                Flush();
                bool dropsToReport = Interlocked.Read(ref _unreported) > 0;
                if (wrote && !dropsToReport)
                {
                    // More lines are likely behind these: gather them for one flush instead of waking per line. A
                    // queue that stays empty meanwhile sends the writer to wait below, as before.
                    Thread.Sleep(BatchDelay);
                    continue;
                }

                if (dropsToReport)
                {
                    long now = _time.GetTimestamp();
                    TimeSpan since = lastReport == 0 ? DropReportInterval : _time.GetElapsedTime(lastReport, now);
                    if (since >= DropReportInterval)
                    {
                        long dropped = Interlocked.Exchange(ref _unreported, 0);
                        Write($"dropped {dropped} connection log lines");
                        Flush();
                        lastReport = now;
                        continue;
                    }

                    // Wake up when the next report is due, even if no line arrives.
                    Task<bool> wait = reader.WaitToReadAsync().AsTask();
                    Task.WhenAny(wait, Task.Delay(DropReportInterval - since, _time)).GetAwaiter().GetResult();
                    if (wait.IsCompleted && !wait.Result)
                    {
                        return;
                    }

                    continue;
                }

                if (!reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
                {
                    return;
                }
            }
        }
        finally
        {
            _done.TrySetResult();
        }
    }

    private void Write(string line)
    {
        try
        {
            _output.WriteLine(line);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            Drop(1);
        }
    }

    private void Flush()
    {
        try
        {
            _output.Flush();
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // Lines already handed to the writer may be lost; the next write reports its own failure.
        }
    }
}
