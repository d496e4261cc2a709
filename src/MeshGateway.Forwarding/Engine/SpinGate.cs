namespace MeshGateway.Forwarding;

/// <summary>
/// A lock for the engine's few-instruction critical sections on the connection path (a registration's pending flags,
/// the <see cref="SlotArray{T}"/>s of the loop's registrations and of the forwarder's connections, the dial-timeout
/// stack): one compare-exchange to enter and one store to leave, and nothing per thread. The runtime's <c>lock</c> reads
/// the thread's id from thread-local storage on every enter and exit, which on Linux is a call to <c>__tls_get_addr</c>
/// from JIT'd code; a perf profile of the loop put those calls at ~1.5 % of a churned connection's CPU, for ~15 lock
/// pairs per connection. A waiter spins, then yields (<see cref="SpinWait"/>): the holder keeps the gate for at most one
/// <c>epoll_ctl</c> or one constructor.
/// </summary>
/// <remarks>
/// Not reentrant, and not for sections that call user code or wait: a thread that enters twice spins for ever. A mutable
/// struct: keep it in a field and call it through that field (a copy would be a second gate).
/// </remarks>
internal struct SpinGate
{
    private int _held;

    /// <summary>Enters, spinning and then yielding while another thread holds the gate.</summary>
    public void Enter()
    {
        if (Interlocked.CompareExchange(ref _held, 1, 0) != 0)
        {
            EnterContended();
        }
    }

    /// <summary>Leaves (a release store: what the section wrote is visible to the next thread that enters).</summary>
    public void Exit() => Volatile.Write(ref _held, 0);

    private void EnterContended()
    {
        var spinner = default(SpinWait);
        do
        {
            spinner.SpinOnce();
        }
        while (Volatile.Read(ref _held) != 0 || Interlocked.CompareExchange(ref _held, 1, 0) != 0);
    }
}
