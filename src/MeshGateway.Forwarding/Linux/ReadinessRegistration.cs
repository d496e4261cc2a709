using System.Runtime.InteropServices;
using System.Threading.Tasks.Sources;

namespace MeshGateway.Forwarding;

/// <summary>
/// One socket in <see cref="EpollReadiness"/>: at most one read wait and one write wait at a time (the two
/// directions of a connection each wait on one socket for one thing). A wait arms the descriptor for the union of
/// what is awaited (the first wait adds it to the epoll set): one shot for a socket the runtime owns, where an event
/// completes the waits it satisfies and re-arms the rest; persistent for the forwarder's own descriptors and its
/// listeners, where the watch stands until what is awaited changes (see the constructor). Arming is level-triggered,
/// so a condition that became true between the failed call and the wait completes the wait at once.
/// </summary>
/// <remarks>
/// The registration is its own read waiter (most sockets only ever wait to read), and its pending flags and arming are
/// guarded by a <see cref="SpinGate"/> in it: one object per socket, plus a write waiter made on the first write wait.
/// </remarks>
internal sealed class ReadinessRegistration : ReadinessWaiter
{
    private readonly EpollReadiness _loop;
    private readonly SafeHandle _handle;
    private readonly ulong _id;
    private ReadinessWaiter? _write;   // made on the first write wait: most sockets only ever wait to read (and the connect)

    /// <summary>Guards the pending flags and the arming (no callback runs inside it: completions run after it is left).</summary>
    private SpinGate _gate;

    /// <summary>The read waiter: this registration itself.</summary>
    private ReadinessWaiter Read => this;
    private bool _readPending;
    private bool _writePending;
    private bool _closed;
    private bool _added;
    private bool _writeFailed;

    /// <summary>The events epoll watches now (0: not in the set, or a one-shot arming that fired).</summary>
    private uint _watched;

    /// <summary>The current arming is one-shot (a runtime-owned socket, or a wait whose continuation leaves the loop).</summary>
    private bool _watchedOneShot;

    /// <summary>Whether the pending read or write wait's continuation runs on the loop thread (see <see cref="OneShotNeeded"/>).</summary>
    private bool _readInline;
    private bool _writeInline;

    /// <summary>Persistent connection sockets: the last report was one nobody waited for, and it was let pass.</summary>
    private bool _unwantedPassed;

    private readonly bool _persistent;

    /// <param name="loop">The loop.</param>
    /// <param name="handle">The socket's descriptor.</param>
    /// <param name="id">The loop's id for it.</param>
    /// <param name="listener">A listening socket.</param>
    /// <param name="persistent">
    /// Watched level-triggered without one-shot: a wait made while the event is still watched costs no <c>epoll_ctl</c>,
    /// and an event nobody waits for stops the watch (level-triggered epoll would report it again and again). For a
    /// listener whose accepts run inline on the loop (each accept's continuation waits again before the loop polls), so
    /// the watch is set once, not re-armed per connection; and for the sockets whose descriptors the forwarder owns
    /// (<see cref="EpollReadiness.RegisterNonBlocking"/>), whose copy reads, sends and waits again while the watch
    /// stands, as HAProxy's poller changes a socket's interest only when it changes. A connection's socket lets one
    /// report nobody waited for pass before it stops the watch: the peer's FIN is reported until the descriptor is
    /// closed, and a churned connection closes both sockets right after the second FIN, so the first FIN's second
    /// report would otherwise cost a removal the close makes anyway (HAProxy lets it pass too). A condition that stays
    /// (a direction paused while its destination is full) is reported twice, then no more until the next wait.
    /// </param>
    public ReadinessRegistration(EpollReadiness loop, SafeHandle handle, ulong id, bool listener, bool persistent = false)
    {
        _loop = loop;
        _handle = handle;
        _id = id;
        IsListener = listener;
        _persistent = persistent;
    }

    /// <summary><c>epoll_ctl</c> calls made for this socket so far (tests count them).</summary>
    public int ControlCalls { get; private set; }

    /// <summary>The socket's descriptor (for tests, which find a connection's registration by its addresses).</summary>
    internal SafeHandle Handle => _handle;

    /// <summary>The epoll id the loop knows this socket by.</summary>
    public ulong Id => _id;

    /// <summary>The loop this socket waits on.</summary>
    public EpollReadiness Loop => _loop;

    /// <summary>True for a listening socket (a <see cref="ForwarderListener"/>'s), false for a connection's.</summary>
    public bool IsListener { get; }

    /// <summary>
    /// True when the event that completed the last write wait reported EPOLLERR or EPOLLHUP: after a non-blocking
    /// connect only then is <c>SO_ERROR</c> worth reading (EPOLLOUT alone means the connection is established).
    /// </summary>
    public bool WriteFailed
    {
        get
        {
            _gate.Enter();
            try
            {
                return _writeFailed;
            }
            finally
            {
                _gate.Exit();
            }
        }
    }

    /// <summary>
    /// Waits until the socket is readable (data, end of stream or error) or, with <paramref name="write"/>, writable.
    /// <paramref name="inline"/> runs the continuation on the loop thread; otherwise it goes to the thread pool.
    /// Faults with <see cref="ObjectDisposedException"/> once <see cref="Close"/> ran.
    /// </summary>
    public ValueTask WaitAsync(bool write, bool inline)
    {
        short token = Arm(write, inline, out ReadinessWaiter? waiter, out int errno);
        return waiter is null ? ValueTask.FromException(ToException(-errno)) : new ValueTask(waiter, token);
    }

    /// <summary>
    /// <see cref="WaitAsync"/> without exceptions, for the pumps (a peer's reset is routine there, and an exception
    /// costs more than the whole rest of the connection): 0 once ready, or -errno (-EBADF once <see cref="Close"/> ran).
    /// For a read it doubles as a receive of 0 bytes (readiness, no buffer), with no state machine around it: a
    /// connection waiting for its first byte holds no async box for it.
    /// </summary>
    public ValueTask<int> WaitReadyAsync(bool write, bool inline)
    {
        short token = Arm(write, inline, out ReadinessWaiter? waiter, out int errno);
        return waiter is null ? ValueTask.FromResult(-errno) : new ValueTask<int>(waiter, token);
    }

    /// <summary>
    /// The same wait for a caller that keeps its own state (the readiness copy pump): <paramref name="callback"/>
    /// (<paramref name="state"/>) runs when it completes, inline on the thread that completes it, and
    /// <see cref="TakeResult"/> then says how. Returns 0 once armed, or -errno when it could not be (nothing will run).
    /// </summary>
    public int WaitReady(bool write, Action<object?> callback, object state)
    {
        _ = Arm(write, inline: true, out ReadinessWaiter? waiter, out int errno, callback, state);
        return waiter is null ? -errno : 0;
    }

    /// <summary>After a <see cref="WaitReady(bool, Action{object?}, object)"/> callback: 0 (ready) or -errno.</summary>
    public int TakeResult(bool write) => write ? _write!.TakeResult() : Read.TakeResult();

    /// <param name="write">Wait for writability (else readability).</param>
    /// <param name="inline">Run the continuation on the completing thread.</param>
    /// <param name="armed">The waiter, or null when the wait could not be armed (<paramref name="failure"/> says why).</param>
    /// <param name="failure">The errno when not armed.</param>
    /// <param name="callback">
    /// A continuation to register before the descriptor is armed: the socket's loop may run on another thread than this
    /// one (a connection's first steps run on the listener's loop), and a wait that completed before its continuation
    /// was registered would send the continuation to the thread pool.
    /// </param>
    /// <param name="state">The callback's state.</param>
    private short Arm(bool write, bool inline, out ReadinessWaiter? armed, out int failure, Action<object?>? callback = null, object? state = null)
    {
        armed = null;
        failure = 0;
        _gate.Enter();
        try
        {
            ReadinessWaiter waiter = write ? _write ??= new ReadinessWaiter() : Read;
            if (_closed)
            {
                failure = LinuxSockets.EBadF;
                return 0;
            }

            waiter.Reset(inline);
            if (callback is not null)
            {
                // Never completed if the arming below fails: the pending flag is cleared, so neither an event nor Close
                // finds it, and the next Reset forgets it.
                waiter.OnCompleted(callback, state, waiter.Version, ValueTaskSourceOnCompletedFlags.None);
            }

            if (write)
            {
                _writePending = true;
                _writeInline = inline;
            }
            else
            {
                _readPending = true;
                _readInline = inline;
            }

            int errno = ArmLocked();
            if (errno != 0)
            {
                _readPending &= write;
                _writePending &= !write;
                failure = errno;
                return 0;
            }

            armed = waiter;
            return waiter.Version;
        }
        finally
        {
            _gate.Exit();
        }
    }

    /// <summary>Called by the loop with the events epoll reported.</summary>
    public void OnEvents(uint events)
    {
        bool read = false;
        bool write = false;
        _gate.Enter();
        try
        {
            bool failed = (events & (LinuxSockets.EpollErr | LinuxSockets.EpollHup)) != 0;
            if (_readPending && (failed || (events & (LinuxSockets.EpollIn | LinuxSockets.EpollRdHup)) != 0))
            {
                _readPending = false;
                read = true;
            }

            if (_writePending && (failed || (events & LinuxSockets.EpollOut) != 0))
            {
                _writePending = false;
                _writeFailed = failed;
                write = true;
            }

            if (_watchedOneShot)
            {
                _watched = 0;   // the one shot fired: the kernel disarmed the descriptor
            }

            if (_persistent && !_watchedOneShot)
            {
                // Still watched: nothing to re-arm. An event nobody waits for stops the watch until the next wait; a
                // connection's socket lets the first such report pass (see the constructor), the listener none.
                bool unwanted = (!read && !_readPending && (events & (LinuxSockets.EpollIn | LinuxSockets.EpollRdHup | LinuxSockets.EpollErr | LinuxSockets.EpollHup)) != 0)
                    || (!write && !_writePending && (events & LinuxSockets.EpollOut) != 0);
                if (read || write || !unwanted)
                {
                    _unwantedPassed = false;
                }
                else if (!_closed && (_unwantedPassed || IsListener))
                {
                    _unwantedPassed = false;
                    _ = ArmLocked();
                }
                else
                {
                    _unwantedPassed = true;
                }
            }
            else if (_watchedOneShot && !_closed && (_readPending || _writePending))
            {
                _ = ArmLocked();   // the one shot disarmed what is still awaited; a failure here surfaces on the next call
            }
        }
        finally
        {
            _gate.Exit();
        }

        if (read)
        {
            Read.Complete(0);
        }

        if (write)
        {
            _write!.Complete(0);
        }
    }

    /// <summary>
    /// Leaves the loop (before the descriptor is closed) and fails pending waits (-EBADF, or
    /// <see cref="ObjectDisposedException"/> for <see cref="WaitAsync"/>), as the runtime fails pending operations of a
    /// disposed socket. Idempotent.
    /// </summary>
    public void Close()
    {
        bool read, write;
        _gate.Enter();
        try
        {
            if (_closed)
            {
                return;
            }

            _closed = true;
            read = _readPending;
            write = _writePending;
            _readPending = _writePending = false;
            if (_persistent && _added && IsListener && !_watchedOneShot && _watched != 0)
            {
                // Watch nothing: a level-triggered watch would report until the descriptor is closed, and the listening
                // socket belongs to a runtime Socket that closes it when it is disposed. A connection's own descriptor is
                // closed right after this (its close takes it out of the set), and no event reaches it once forgotten.
                _ = ArmLocked();
            }

            _loop.Forget(_id);   // the descriptor's close takes it out of the epoll set
        }
        finally
        {
            _gate.Exit();
        }

        if (read)
        {
            Read.Complete(-LinuxSockets.EBadF);
        }

        if (write)
        {
            _write!.Complete(-LinuxSockets.EBadF);
        }
    }

    /// <summary>
    /// True when this arming must be one-shot: always for a socket the runtime owns; for the forwarder's own connection
    /// sockets while a pending wait's continuation runs off the loop (the thread pool). A level-triggered watch would
    /// report the still-unread condition again before that continuation has read, twice, and then be removed and added
    /// back: two calls where a one-shot arming costs one. A listener's registration decided this when it was made.
    /// </summary>
    private bool OneShotNeeded => !_persistent || (!IsListener && ((_readPending && !_readInline) || (_writePending && !_writeInline)));

    private int ArmLocked()
    {
        uint events = (_readPending ? LinuxSockets.EpollIn | LinuxSockets.EpollRdHup : 0) | (_writePending ? LinuxSockets.EpollOut : 0);
        bool oneShot = OneShotNeeded;
        if (!oneShot && _added && !_watchedOneShot && _watched == events)
        {
            return 0;   // already watched, level-triggered: a condition that is true now is reported at the next poll
        }

        if (events == 0)
        {
            if (_watchedOneShot || _watched == 0)
            {
                return 0;   // nothing armed (a one-shot arming that fired, or never armed)
            }

            // Watch nothing: out of the set, since a mask of 0 still reports EPOLLERR and EPOLLHUP, level-triggered, for ever.
            ControlCalls++;
            int removed = SocketDescriptor.Invoke(_handle, _loop, static (fd, loop) => loop.Remove(fd), whenClosed: LinuxSockets.EBadF);
            if (removed == 0)
            {
                _added = false;
                _watched = 0;
            }

            return removed;
        }

        ControlCalls++;
        int errno = SocketDescriptor.Invoke(
            _handle,
            (Loop: _loop, Events: events, Id: _id, Added: _added, OneShot: oneShot),
            static (fd, s) => s.Loop.Arm(fd, s.Events, s.Id, s.Added, s.OneShot),
            whenClosed: LinuxSockets.EBadF);
        if (errno == 0)
        {
            _added = true;
            _watched = events;
            _watchedOneShot = oneShot;
        }

        return errno;
    }
}
