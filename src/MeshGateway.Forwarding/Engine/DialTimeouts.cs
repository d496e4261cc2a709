namespace MeshGateway.Forwarding;

/// <summary>
/// Connect-timeout token sources for the engine's own dials, reused across connections: a dial rents one armed for
/// <see cref="ForwarderOptions.ConnectTimeout"/> and returns it when the dial ends. A source whose timer never fired
/// is reset (<see cref="CancellationTokenSource.TryReset"/>, which also frees its registrations for reuse) and kept;
/// one that fired, was canceled, or runs on a <see cref="System.TimeProvider"/> whose timers cannot be reset is
/// dropped. Without this every connection made a token source, its timer, a linked source and three registrations.
/// </summary>
/// <remarks>
/// Only for dials whose token never leaves the engine (its own readiness loop, <see cref="SocketUpstreamConnector"/>):
/// a custom connector could keep a token past its dial and would then see another connection's timeout.
/// </remarks>
internal sealed class DialTimeouts(TimeProvider timeProvider)
{
    /// <summary>Sources kept at most: a few per concurrent dial is plenty, and idle ones cost ~200 B each.</summary>
    private const int Capacity = 256;

    private readonly Stack<CancellationTokenSource> _free = new();
    private SpinGate _gate;   // guards _free: a pop or a push, taken by the loop's dials

    /// <summary>A source that cancels after <paramref name="timeout"/>, unless returned first.</summary>
    public CancellationTokenSource Rent(TimeSpan timeout)
    {
        CancellationTokenSource? source = null;
        _gate.Enter();
        try
        {
            _free.TryPop(out source);
        }
        finally
        {
            _gate.Exit();
        }

        // Made with an (infinite) timer from the forwarder's time provider, so that CancelAfter uses that provider too.
        source ??= new CancellationTokenSource(Timeout.InfiniteTimeSpan, timeProvider);
        source.CancelAfter(timeout);
        return source;
    }

    /// <summary>Gives <paramref name="source"/> back after its dial; it is reused only if nothing ever canceled it.</summary>
    public void Return(CancellationTokenSource source)
    {
        if (source.TryReset())
        {
            _gate.Enter();
            try
            {
                if (_free.Count < Capacity)
                {
                    _free.Push(source);
                    return;
                }
            }
            finally
            {
                _gate.Exit();
            }
        }

        source.Dispose();
    }
}
