using System.Collections.Concurrent;
using System.Threading.Channels;
using MeshGateway.Forwarding;

namespace MeshGateway.FunctionalTests.Infrastructure;

/// <summary>
/// Records every forwarder event so tests can wait for a stage instead of sleeping. It never blocks (channel writes),
/// and says so: a forwarder whose other stages are the shipped ones then runs its connections as users' defaults do,
/// on the readiness loop's callbacks (Linux).
/// </summary>
internal sealed class RecordingObserver : IForwarderObserver, INonBlockingStage
{
    private readonly Channel<ForwardingContext> _accepted = Channel.CreateUnbounded<ForwardingContext>();
    private readonly Channel<ForwardingContext> _streaming = Channel.CreateUnbounded<ForwardingContext>();
    private readonly Channel<(ForwardingContext Context, ForwardingResult Result)> _closed = Channel.CreateUnbounded<(ForwardingContext, ForwardingResult)>();

    public ConcurrentQueue<(UpstreamEndpoint Endpoint, int Attempt, Exception? Error)> Attempts { get; } = new();

    public void OnAccepted(ForwardingContext context) => _accepted.Writer.TryWrite(context);

    public void OnStreaming(ForwardingContext context) => _streaming.Writer.TryWrite(context);

    public void OnConnectAttempt(ForwardingContext context, UpstreamEndpoint endpoint, int attempt, Exception? exception) =>
        Attempts.Enqueue((endpoint, attempt, exception));

    public void OnClosed(ForwardingContext context, ForwardingResult result) => _closed.Writer.TryWrite((context, result));

    public ValueTask<ForwardingContext> NextAcceptedAsync() => _accepted.Reader.ReadAsync(TestContext.Current.CancellationToken);

    public ValueTask<ForwardingContext> NextStreamingAsync() => _streaming.Reader.ReadAsync(TestContext.Current.CancellationToken);

    public bool TryReadClosed(out (ForwardingContext Context, ForwardingResult Result) closed) => _closed.Reader.TryRead(out closed);

    public ValueTask<(ForwardingContext Context, ForwardingResult Result)> NextClosedAsync() => _closed.Reader.ReadAsync(TestContext.Current.CancellationToken);

    /// <summary>
    /// Drops the accepted and streaming events not read yet and the attempts: a test that counts the process's memory
    /// must not count the contexts this observer keeps for it.
    /// </summary>
    public void ForgetOpened()
    {
        while (_accepted.Reader.TryRead(out _) || _streaming.Reader.TryRead(out _))
        {
        }

        Attempts.Clear();
    }
}
