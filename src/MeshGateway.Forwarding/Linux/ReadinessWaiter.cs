using System.Net.Sockets;
using System.Threading.Tasks.Sources;

namespace MeshGateway.Forwarding;

/// <summary>
/// A reusable awaitable for one kind of wait (no allocation per wait), completed with 0 (ready) or -errno: as an
/// <see cref="IValueTaskSource{TResult}"/> it returns that (a zero-byte receive's 0, or the failure); as an
/// <see cref="IValueTaskSource"/> it throws for a failure.
/// </summary>
internal class ReadinessWaiter : IValueTaskSource, IValueTaskSource<int>
{
    private ManualResetValueTaskSourceCore<int> _core;

    public short Version => _core.Version;

    public void Reset(bool inline)
    {
        _core.Reset();
        _core.RunContinuationsAsynchronously = !inline;
    }

    public void Complete(int result) => _core.SetResult(result);

    /// <summary>What <see cref="ReadinessRegistration.WaitAsync"/> throws for a wait that failed with <paramref name="errno"/>.</summary>
    public static Exception ToException(int errno) =>
        errno == LinuxSockets.EBadF ? new ObjectDisposedException(nameof(Socket)) : LinuxSockets.ToException(errno);

    public void GetResult(short token)
    {
        int result = _core.GetResult(token);
        if (result < 0)
        {
            throw ToException(-result);
        }
    }

    int IValueTaskSource<int>.GetResult(short token) => _core.GetResult(token);

    /// <summary>The result of the wait that just completed (for a callback, which has no token).</summary>
    public int TakeResult() => _core.GetResult(_core.Version);

    public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);
}
