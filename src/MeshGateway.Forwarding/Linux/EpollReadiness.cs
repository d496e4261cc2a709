using System.Collections.Concurrent;
using System.Net.Sockets;

namespace MeshGateway.Forwarding;

/// <summary>
/// One of the splice pump's own readiness loops: an <c>epoll(7)</c> instance and its thread, with level-triggered
/// one-shot registrations armed only while somebody waits (what HAProxy's poller does with its interest updates).
/// The process has one loop per processor it may run on (<see cref="Environment.ProcessorCount"/>, which honours
/// CPU affinity), or the count set by the runtime option <c>MeshGateway.Forwarding.SpliceLoops</c>; connections
/// are dealt to the loops in turn and both sockets of a connection stay on one loop. A splice's kernel work runs
/// on the thread that calls it, so the loops are what spreads splicing over cores.
/// <para>
/// Why not the runtime's readiness: the runtime registers every socket it has waited on edge-triggered for
/// EPOLLIN and EPOLLOUT at once, for the socket's whole life. A spliced connection whose destination is full then
/// wakes the runtime's event thread for every segment the client keeps sending, although nobody reads them yet:
/// measured with strace on a 1-stream bulk splice, ~95 % of the event thread's wake-ups were of that kind, and the
/// proxy made ~3,000 context switches per GB against HAProxy's ~400. Sockets that only this loop waits on are
/// never registered with the runtime, so they wake nobody unless a wait is armed. Readiness completions run inline
/// on the loop thread while a connection splices (the work is non-blocking system calls), and on the thread pool
/// otherwise (sniffing and connecting lead into route resolvers and observers, which are user code).
/// </para>
/// </summary>
internal sealed class EpollReadiness
{
    /// <summary>The runtime option (runtimeconfig.json / <c>RuntimeHostConfigurationOption</c>) that sets the number of loops.</summary>
    public const string LoopCountSwitch = "MeshGateway.Forwarding.SpliceLoops";

    private static readonly Lazy<EpollReadiness[]> Loops = new(StartLoops, LazyThreadSafetyMode.ExecutionAndPublication);
    private static int s_next;

    private readonly int _epoll;
    private readonly ConcurrentDictionary<ulong, ReadinessRegistration> _registrations = new();
    private long _nextId;

    private EpollReadiness(int epoll, int index)
    {
        _epoll = epoll;
        var thread = new Thread(Run) { IsBackground = true, Name = $"MeshGateway splice readiness {index}" };
        thread.UnsafeStart();
    }

    /// <summary>
    /// The loop for the next connection (round robin), the loops started on first use; null where epoll is not
    /// available (not Linux, or no descriptor could be made).
    /// </summary>
    public static EpollReadiness? Next()
    {
        if (!LinuxSplice.IsSupported)
        {
            return null;
        }

        EpollReadiness[] loops = Loops.Value;
        return loops.Length == 0 ? null : loops[(int)((uint)Interlocked.Increment(ref s_next) % (uint)loops.Length)];
    }

    /// <summary>The number of loops (0 before first use or where unavailable).</summary>
    public static int LoopCount => Loops.IsValueCreated ? Loops.Value.Length : 0;

    /// <summary>Registrations alive now in every loop (for tests: every connection must leave none behind).</summary>
    public static int TotalCount => Loops.IsValueCreated ? Loops.Value.Sum(static l => l.Count) : 0;

    /// <summary>Registrations alive now in this loop.</summary>
    public int Count => _registrations.Count;

    /// <summary>
    /// Puts <paramref name="socket"/> in non-blocking mode and adds it to the loop, disarmed. Null when that fails;
    /// the caller then keeps the runtime's readiness for this socket.
    /// </summary>
    public ReadinessRegistration? TryRegister(Socket socket) =>
        SocketDescriptor.Invoke(socket.SafeHandle, (Loop: this, Socket: socket), static (fd, a) => a.Loop.Register(fd, a.Socket), null);

    private ReadinessRegistration? Register(int fd, Socket socket)
    {
        if (LinuxSockets.SetNonBlocking(fd) != 0)
        {
            return null;
        }

        ulong id = (ulong)Interlocked.Increment(ref _nextId);
        var registration = new ReadinessRegistration(this, socket, id);
        _registrations[id] = registration;

        // Interest 0 + one-shot: registered, silent until a wait arms it (EPOLLERR/EPOLLHUP are always reported,
        // at most once, and ignored while nobody waits).
        if (LinuxSockets.Control(_epoll, LinuxSockets.EpollCtlAdd, fd, LinuxSockets.EpollOneShot, id) != 0)
        {
            _registrations.TryRemove(id, out _);
            return null;
        }

        return registration;
    }

    /// <summary>Re-arms <paramref name="fd"/> for <paramref name="events"/> (one shot). Returns 0 or the errno.</summary>
    internal int Arm(int fd, uint events, ulong id) =>
        LinuxSockets.Control(_epoll, LinuxSockets.EpollCtlMod, fd, events | LinuxSockets.EpollOneShot, id);

    /// <summary>Takes <paramref name="fd"/> out of the loop (before its descriptor is closed, so a reused number is never armed).</summary>
    internal void Remove(int fd, ulong id)
    {
        _registrations.TryRemove(id, out _);
        if (fd >= 0)
        {
            _ = LinuxSockets.Control(_epoll, LinuxSockets.EpollCtlDel, fd, 0, 0);
        }
    }

    /// <summary>The loop count: the runtime option when it is a number from 1 to 256, else one per processor.</summary>
    internal static int ConfiguredLoopCount(object? option) =>
        option switch
        {
            int n when n is >= 1 and <= 256 => n,
            string s when int.TryParse(s, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int n) && n is >= 1 and <= 256 => n,
            _ => Math.Max(1, Environment.ProcessorCount),
        };

    private static EpollReadiness[] StartLoops()
    {
        int count = ConfiguredLoopCount(AppContext.GetData(LoopCountSwitch));
        var loops = new List<EpollReadiness>(count);
        try
        {
            for (int i = 0; i < count; i++)
            {
                int epoll = LinuxSockets.CreateEpoll();
                if (epoll < 0)
                {
                    break;   // out of descriptors: run with the loops made so far
                }

                loops.Add(new EpollReadiness(epoll, i));
            }
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // No libc epoll: splice waits on the runtime's readiness.
        }

        return loops.ToArray();
    }

    private void Run()
    {
        const int MaxEvents = 256;
        if (LinuxSockets.PackedEvents)
        {
            var events = new LinuxSockets.EpollEventPacked[MaxEvents];
            while (true)
            {
                int n = LinuxSockets.WaitPacked(_epoll, events, -1);
                for (int i = 0; i < n; i++)
                {
                    Dispatch(events[i].Data, events[i].Events);
                }
            }
        }
        else
        {
            var events = new LinuxSockets.EpollEventAligned[MaxEvents];
            while (true)
            {
                int n = LinuxSockets.WaitAligned(_epoll, events, -1);
                for (int i = 0; i < n; i++)
                {
                    Dispatch(events[i].Data, events[i].Events);
                }
            }
        }
    }

    private void Dispatch(ulong id, uint events)
    {
        // An event may race with the registration's removal: then there is nobody to tell.
        if (_registrations.TryGetValue(id, out ReadinessRegistration? registration))
        {
            try
            {
                registration.OnEvents(events);
            }
#pragma warning disable CA1031 // The loop serves every spliced connection: one continuation's failure must not end it.
            catch (Exception)
#pragma warning restore CA1031
            {
                // Continuations run inline here only in the splice pump, which handles its own errors; an escape
                // is a bug there, and the connection it belongs to is torn down by its own timeouts.
            }
        }
    }
}
