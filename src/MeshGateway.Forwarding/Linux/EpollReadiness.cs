using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace MeshGateway.Forwarding;

/// <summary>
/// One of the forwarder's own readiness loops (Linux): an <c>epoll(7)</c> instance and its thread, with
/// level-triggered registrations watched only while somebody waits: persistent for the descriptors the forwarder owns
/// (changed when what is awaited changes, as HAProxy's poller applies its interest updates), one-shot for sockets the
/// runtime owns. Every socket the forwarder owns waits here, in every pump mode, and so does
/// <see cref="ForwarderListener"/>'s listening socket. The process has one loop per processor it may run on
/// (<see cref="Environment.ProcessorCount"/>, which honours CPU affinity), or the count set by the runtime option
/// <c>MeshGateway.Forwarding.SpliceLoops</c> (named when only the splice pump used the loops); connections are dealt
/// to the loops in turn and both sockets of a connection stay on one loop. A system call's kernel work runs on the
/// thread that makes it, so the loops are what spreads the forwarding over cores.
/// <para>
/// Why not the runtime's readiness: the runtime registers every socket it has waited on edge-triggered for
/// EPOLLIN and EPOLLOUT at once, for the socket's whole life. A spliced connection whose destination is full then
/// wakes the runtime's event thread for every segment the client keeps sending, although nobody reads them yet:
/// measured with strace on a 1-stream bulk splice, ~95 % of the event thread's wake-ups were of that kind, and the
/// proxy made ~3,000 context switches per GB against HAProxy's ~400. Sockets that only this loop waits on are
/// never registered with the runtime, so they wake nobody unless a wait is armed. Readiness completions run inline
/// on the loop thread while a connection pumps (the work is non-blocking system calls), and for the whole
/// connection when all its stages are <see cref="INonBlockingStage"/>s; otherwise on the thread pool (route
/// resolvers, selectors and observers that are not marked are user code that may block).
/// </para>
/// </summary>
internal sealed class EpollReadiness
{
    /// <summary>The runtime option (runtimeconfig.json / <c>RuntimeHostConfigurationOption</c>) that sets the number of loops.</summary>
    public const string LoopCountSwitch = "MeshGateway.Forwarding.SpliceLoops";

    [ThreadStatic]
    private static EpollReadiness? t_current;

    private static readonly Lazy<EpollReadiness[]> Loops = new(StartLoops, LazyThreadSafetyMode.ExecutionAndPublication);
    private static int s_next;

    private readonly int _epoll;
    private readonly RegistrationTable _registrations = new();

    /// <summary>The readiness copy's receive buffer on this loop's thread (<see cref="CopyBuffer"/>).</summary>
    private byte[]? _copyBuffer;

    private EpollReadiness(int epoll, int index)
    {
        _epoll = epoll;
        var thread = new Thread(Run) { IsBackground = true, Name = $"MeshGateway readiness {index}" };
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

    /// <summary>True on a loop's own thread (where only non-blocking work may run).</summary>
    public static bool OnLoopThread => t_current is not null;

    /// <summary>The loop whose thread this is, or null.</summary>
    public static EpollReadiness? Current => t_current;

    /// <summary>The number of loops (0 before first use or where unavailable).</summary>
    public static int LoopCount => Loops.IsValueCreated ? Loops.Value.Length : 0;

    /// <summary>
    /// The buffer the readiness copy receives into on this loop's thread, at least <paramref name="size"/> bytes: one per
    /// loop instead of a rent and a return per read (and no thread-local lookup). Only the loop's own thread may call
    /// this, and a step must not leave bytes in it when it returns (the copy moves unsent bytes to a buffer of the
    /// direction's own before it waits). Grown when a forwarder with a larger <see cref="ForwarderOptions.BufferSize"/>
    /// asks: one such buffer per loop for the life of the process.
    /// </summary>
    internal byte[] CopyBuffer(int size) =>
        _copyBuffer is { } buffer && buffer.Length >= size ? buffer : _copyBuffer = GC.AllocateUninitializedArray<byte>(size);

    /// <summary>Connection sockets registered now in every loop (for tests: every connection must leave none behind).</summary>
    public static int TotalCount => Loops.IsValueCreated ? Loops.Value.Sum(static l => l.Count) : 0;

    /// <summary>The connection sockets registered now in every loop (for tests: it takes every loop's gate).</summary>
    internal static ReadinessRegistration[] ConnectionRegistrations() =>
        Loops.IsValueCreated ? [.. Loops.Value.SelectMany(static l => l.ConnectionSockets)] : [];

    /// <summary>Connection sockets registered now in this loop (listening sockets not counted; for tests, it walks them all).</summary>
    public int Count => ConnectionSockets.Count();

    /// <summary>This loop's registrations of connection sockets (a snapshot taken under the table's gate).</summary>
    private IEnumerable<ReadinessRegistration> ConnectionSockets => _registrations.Where(static r => !r.IsListener);

    /// <summary>
    /// Puts <paramref name="socket"/> in non-blocking mode and prepares its registration; the descriptor joins the
    /// epoll set with its first wait (one <c>epoll_ctl</c> instead of an add and an arm). Null when that fails; the
    /// caller then keeps the runtime's readiness for this socket. A socket the runtime already made non-blocking
    /// (<see cref="Socket.Blocking"/> false) needs no <c>fcntl</c>.
    /// </summary>
    public ReadinessRegistration? TryRegister(Socket socket) =>
        SocketDescriptor.Invoke(
            socket.SafeHandle,
            (Loop: this, Socket: socket),
            static (fd, a) => a.Socket.Blocking && LinuxSockets.SetNonBlocking(fd) != 0 ? null : a.Loop.Register(a.Socket.SafeHandle, listener: false),
            null);

    /// <summary>
    /// Prepares the registration of a socket the forwarder made non-blocking itself (<c>accept4</c> or <c>socket</c>
    /// with SOCK_NONBLOCK): no system call until its first wait. Its descriptor is the forwarder's, closed as soon as the
    /// registration is, so it is watched persistently (one <c>epoll_ctl</c> when what is awaited changes, not one per
    /// wait; see <see cref="ReadinessRegistration(EpollReadiness, SafeHandle, ulong, bool, bool)"/>).
    /// </summary>
    public ReadinessRegistration RegisterNonBlocking(SafeHandle handle) => Register(handle, listener: false, persistent: true);

    /// <summary>
    /// As <see cref="TryRegister"/> for a listening socket (<see cref="ForwarderListener"/> accepts on the loop), which
    /// stays in blocking mode: the listener calls accept(2) only once the loop said a connection is queued, and Linux
    /// keeps a queued connection there until it is accepted (even one reset meanwhile), so the accept never waits. The
    /// listener's <c>accept4</c> makes every accepted socket non-blocking itself (no <c>fcntl</c> per connection).
    /// </summary>
    /// <param name="socket">The listening socket.</param>
    /// <param name="persistent">
    /// Its accepts run inline on the loop: watch it level-triggered once instead of re-arming it per connection (see
    /// <see cref="ReadinessRegistration(EpollReadiness, SafeHandle, ulong, bool, bool)"/>).
    /// </param>
    public ReadinessRegistration? TryRegisterListener(Socket socket, bool persistent = false) => Register(socket.SafeHandle, listener: true, persistent);

    private ReadinessRegistration Register(SafeHandle handle, bool listener, bool persistent = false) =>
        _registrations.Add((Loop: this, Handle: handle, Listener: listener, Persistent: persistent), static (id, a) => new ReadinessRegistration(a.Loop, a.Handle, id, a.Listener, a.Persistent));

    /// <summary>
    /// Arms <paramref name="fd"/> for <paramref name="events"/>, one shot unless <paramref name="oneShot"/> is false
    /// (then level-triggered until changed): adds it to the epoll set the first time (<paramref name="added"/> false),
    /// modifies it afterwards. Returns 0 or the errno.
    /// </summary>
    internal int Arm(int fd, uint events, ulong id, bool added, bool oneShot = true) =>
        LinuxSockets.Control(_epoll, added ? LinuxSockets.EpollCtlMod : LinuxSockets.EpollCtlAdd, fd, oneShot ? events | LinuxSockets.EpollOneShot : events, id);

    /// <summary>Takes <paramref name="fd"/> out of the epoll set (a persistent registration that stops watching). Returns 0 or the errno.</summary>
    internal int Remove(int fd) => LinuxSockets.Control(_epoll, LinuxSockets.EpollCtlDel, fd, 0, 0);

    /// <summary>
    /// Forgets registration <paramref name="id"/>. Its descriptor is not deleted from the epoll set: closing it does
    /// that (epoll(7): a file leaves every set when its last descriptor is closed), and an event already queued for
    /// it finds no registration and is dropped, so a reused descriptor number is never confused with it (an id's
    /// slot is reused only under a new generation: <see cref="RegistrationTable"/>). Saves an <c>epoll_ctl</c> per socket.
    /// </summary>
    internal void Forget(ulong id) => _registrations.Remove(id);

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
        t_current = this;
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
        if (_registrations.Find(id) is { } registration)
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
