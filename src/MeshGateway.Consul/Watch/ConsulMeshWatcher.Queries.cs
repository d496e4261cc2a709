using System.Net;
using System.Text.Json;
using MeshGateway.Consul.Client;

namespace MeshGateway.Consul.Watch;

public sealed partial class ConsulMeshWatcher
{
    private readonly Lock statusGate = new();

    /// <summary>
    /// One blocking-query loop: read, apply, repeat with the returned index; on a failure, keep the last state and back
    /// off (jittered, exponential). Ends only when <paramref name="cancellationToken"/> is cancelled.
    /// </summary>
    private Task Watch(string path, string? query, bool notFoundIsEmpty, Action<byte[]?> apply, CancellationToken cancellationToken) =>
        Task.Run(() => WatchLoopAsync(path, query, notFoundIsEmpty, apply, cancellationToken), CancellationToken.None);

    private async Task WatchLoopAsync(string path, string? query, bool notFoundIsEmpty, Action<byte[]?> apply, CancellationToken cancellationToken)
    {
        ulong index = 0;
        int failures = 0;
        TimeSpan timeout = ConsulBlockingIndex.ClientTimeout(options.WaitTime, options.TimeoutMargin);
        while (!cancellationToken.IsCancellationRequested)
        {
            string? error;
            bool answered = false;
            TimeSpan pause = TimeSpan.Zero;
            try
            {
                string? blocking = ConsulBlockingIndex.Query(index, options.WaitTime);
                string extra = string.Join('&', new[] { query, blocking }.Where(q => q is not null));
                ConsulResponse response;
                await slots.WaitAsync(cancellationToken).ConfigureAwait(false);
                try
                {
                    response = await http.GetAsync(http.PathWith(path, extra.Length == 0 ? null : extra), timeout, cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    slots.Release();
                }

                if (response.IsSuccess || (notFoundIsEmpty && response.Status == HttpStatusCode.NotFound))
                {
                    // Apply under the lock, and never after this watch was cancelled (a removed service stays removed).
                    lock (gate)
                    {
                        if (cancellationToken.IsCancellationRequested)
                        {
                            return;
                        }

                        apply(response.IsSuccess ? response.Body : null);
                    }

                    ulong next = ConsulBlockingIndex.Next(index, response.Index);
                    if (response.Index is ulong returned && returned < index)
                    {
                        ConsulLog.IndexReset(logger, path, index, returned);
                    }

                    // Without an index the agent cannot block: pace the reads instead of spinning.
                    pause = response.Index is null ? options.RetryBaseDelay : TimeSpan.Zero;
                    index = next;
                    failures = 0;
                    MarkContact();
                    error = null;
                }
                else
                {
                    // A 4xx (ACL denied, not found) is an answer from a working agent; a 5xx is a cluster in trouble.
                    answered = (int)response.Status < 500;
                    error = $"HTTP {(int)response.Status} {response.Status}: {Excerpt(response.Body)}";
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is HttpRequestException or TimeoutException or JsonException or IOException)
            {
                error = e is JsonException ? "unreadable answer: " + e.Message : e.Message;
            }
            catch (Exception e) when (e is NotSupportedException or InvalidOperationException or ArgumentException or FormatException)
            {
                // Whatever an answer holds, the loop goes on: the last good state stays, the failure is reported.
                error = $"unusable answer ({e.GetType().Name}): {e.Message}";
            }

            if (error is not null)
            {
                failures++;
                pause = ConsulBackoff.Delay(failures, options.RetryBaseDelay, options.RetryMaxDelay, Random.Shared.NextDouble());
                MarkFailure(path, error, failures, pause, answered);
            }

            if (pause > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(pause, options.TimeProvider, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private void MarkContact()
    {
        lock (statusGate)
        {
            MarkContactLocked();
        }
    }

    private void MarkFailure(string path, string error, int failures, TimeSpan delay, bool answered)
    {
        if (answered)
        {
            // Logged before the status changes, so whoever sees the new status can rely on the line being written.
            ConsulLog.QueryFailed(logger, path, failures, (long)delay.TotalMilliseconds, error);
        }

        lock (statusGate)
        {
            if (answered)
            {
                MarkRefusalLocked(path, error);
            }
            else
            {
                MarkFailureLocked(path, error, failures, delay);
            }
        }
    }

    /// <summary>The agent answered with a refusal: it is reachable (still connected), but the query failed.</summary>
    private void MarkRefusalLocked(string path, string error)
    {
        ConsulConnectionStatus before = Status;
        var now = new ConsulConnectionStatus(true, options.TimeProvider.GetUtcNow(), $"{path}: {error}", 0);
        Volatile.Write(ref status, now);
        if (!before.Connected)
        {
            RaiseStatusChanged(now);
        }
    }

    private void MarkContactLocked()
    {
        ConsulConnectionStatus before = Status;
        if (before is { Connected: true, ConsecutiveFailures: 0 } && before.LastError is null)
        {
            Volatile.Write(ref status, before with { LastContact = options.TimeProvider.GetUtcNow() });
            return;
        }

        var now = new ConsulConnectionStatus(true, options.TimeProvider.GetUtcNow(), null, 0);
        Volatile.Write(ref status, now);
        if (before.ConsecutiveFailures > 0)
        {
            ConsulLog.Reconnected(logger, client.Address);
        }

        if (!before.Connected)
        {
            RaiseStatusChanged(now);
        }
    }

    private void MarkFailureLocked(string path, string error, int failures, TimeSpan delay)
    {
        ConsulConnectionStatus before = Status;
        var now = new ConsulConnectionStatus(false, before.LastContact, $"{path}: {error}", before.ConsecutiveFailures + 1);
        Volatile.Write(ref status, now);
        if (before.Connected || (before.LastContact is null && before.ConsecutiveFailures == 0))
        {
            ConsulLog.Disconnected(logger, client.Address, Current.Version);
            RaiseStatusChanged(now);
        }

        ConsulLog.QueryFailed(logger, path, failures, (long)delay.TotalMilliseconds, error);
    }

    /// <summary>The start of an error body, printable ASCII only (it is untrusted and goes into logs).</summary>
    private static string Excerpt(byte[] body)
    {
        int length = Math.Min(body.Length, 200);
        var text = new char[length];
        for (int i = 0; i < length; i++)
        {
            byte b = body[i];
            text[i] = b is >= 0x20 and < 0x7F ? (char)b : '?';
        }

        return new string(text).Trim();
    }
}
