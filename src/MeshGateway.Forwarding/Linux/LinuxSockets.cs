using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace MeshGateway.Forwarding;

/// <summary>
/// The Linux calls of the forwarder's own readiness loop (<c>epoll(7)</c>) and the socket calls it makes without the
/// runtime (<c>recv</c>/<c>send</c> with MSG_DONTWAIT, a non-blocking <c>connect</c>, SO_ERROR), source-generated
/// P/Invoke. Errno values are the generic Linux ones (x86-64, arm64).
/// </summary>
/// <remarks>
/// Every call here but <c>epoll_wait</c>, <c>accept4</c> and <c>epoll_create1</c> returns without sleeping: receives
/// and sends pass MSG_DONTWAIT, the forwarder's sockets are non-blocking from birth (a connect returns EINPROGRESS), a
/// close never lingers (SO_LINGER is only ever set to 0, a reset), and the rest change or read socket state. Those
/// calls skip the runtime's switch to preemptive mode and back (<see cref="SuppressGCTransitionAttribute"/>) and its
/// last-error bookkeeping (<c>SetLastError</c> clears errno before the call and copies it into the runtime's thread
/// object after, through a thread-local lookup in libcoreclr): together ~2 % of a churned connection's CPU in a perf
/// profile of the loop, with ~18 such calls per connection. Each wrapper reads errno itself
/// (<see cref="Marshal.GetLastSystemError"/>) as the statement right after the call, with no branch between: the JIT
/// may poll for a garbage collection after a call without transition, but only at the end of the call's basic block,
/// and a collection's wait could change errno. Their signatures are blittable (pointers), so the call is made inline in
/// the wrapper with no generated stub between. The blocking three keep the transition and <c>SetLastError</c>, so a
/// loop waiting in the kernel never holds up a collection.
/// </remarks>
internal static unsafe partial class LinuxSockets
{
    public const uint EpollIn = 0x001;
    public const uint EpollOut = 0x004;
    public const uint EpollErr = 0x008;
    public const uint EpollHup = 0x010;
    public const uint EpollRdHup = 0x2000;
    public const uint EpollOneShot = 1u << 30;

    public const int EpollCtlAdd = 1;
    public const int EpollCtlDel = 2;
    public const int EpollCtlMod = 3;

    public const int EIntr = 4;
    public const int EBadF = 9;
    public const int EAgain = 11;
    public const int EInProgress = 115;
    public const int EConnRefused = 111;

    private const string LibC = "libc";
    private const int MsgDontWait = 0x40;
    private const int MsgNoSignal = 0x4000;
    private const int OCloExec = 0x80000;
    private const int ONonBlock = 0x800;
    private const int FGetFl = 3;
    private const int FSetFl = 4;
    private const int SolSocket = 1;
    private const int SoError = 4;
    private const int SoLinger = 13;
    private const int IpProtoTcp = 6;
    private const int TcpNoDelay = 1;
    private const int TcpInfo = 11;
    private const int SockStream = 1;
    private const int SockNonBlock = 0x800;
    private const int SockCloExec = 0x80000;
    private const int FionRead = 0x541B;
    internal const ushort AfInet = 2;
    internal const ushort AfInet6 = 10;

    /// <summary>One <c>struct epoll_event</c>: packed on x86-64 (12 bytes), naturally aligned elsewhere (16 bytes).</summary>
    [StructLayout(LayoutKind.Sequential, Pack = 4)]
    public struct EpollEventPacked
    {
        public uint Events;
        public ulong Data;
    }

    /// <summary>The same event as laid out on every other 64-bit Linux ABI.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct EpollEventAligned
    {
        public uint Events;
        public ulong Data;
    }

    /// <summary>True when <c>struct epoll_event</c> is packed (x86-64 and x86 only; see <c>EPOLL_PACKED</c> in the kernel's uapi).</summary>
    public static bool PackedEvents { get; } = RuntimeInformation.ProcessArchitecture is Architecture.X64 or Architecture.X86;

    public static int CreateEpoll() => EpollCreate1(OCloExec);

    /// <summary>epoll_ctl for one descriptor, EINTR retried. Returns 0 or the errno.</summary>
    public static int Control(int epoll, int operation, int fd, uint events, ulong data)
    {
        while (true)
        {
            int result;
            int errno;
            if (PackedEvents)
            {
                var ev = new EpollEventPacked { Events = events, Data = data };
                result = EpollCtlPacked(epoll, operation, fd, &ev);
                errno = Marshal.GetLastSystemError();
            }
            else
            {
                var ev = new EpollEventAligned { Events = events, Data = data };
                result = EpollCtlAligned(epoll, operation, fd, &ev);
                errno = Marshal.GetLastSystemError();
            }

            if (result == 0)
            {
                return 0;
            }

            if (errno != EIntr)
            {
                return errno;
            }
        }
    }

    /// <summary>epoll_wait into a packed event buffer; returns the count, or -errno.</summary>
    public static int WaitPacked(int epoll, Span<EpollEventPacked> events, int timeoutMs)
    {
        int n = EpollWaitPacked(epoll, ref MemoryMarshal.GetReference(events), events.Length, timeoutMs);
        return n >= 0 ? n : -Marshal.GetLastPInvokeError();
    }

    /// <summary>epoll_wait into an aligned event buffer; returns the count, or -errno.</summary>
    public static int WaitAligned(int epoll, Span<EpollEventAligned> events, int timeoutMs)
    {
        int n = EpollWaitAligned(epoll, ref MemoryMarshal.GetReference(events), events.Length, timeoutMs);
        return n >= 0 ? n : -Marshal.GetLastPInvokeError();
    }

    /// <summary>Puts the descriptor in O_NONBLOCK mode (splice(2) on a socket honours only the file's flag). Returns 0 or the errno.</summary>
    public static int SetNonBlocking(int fd)
    {
        int flags = Fcntl(fd, FGetFl, 0);
        int errno = Marshal.GetLastSystemError();
        if (flags < 0)
        {
            return errno;
        }

        if ((flags & ONonBlock) != 0)
        {
            return 0;
        }

        int result = Fcntl(fd, FSetFl, flags | ONonBlock);
        errno = Marshal.GetLastSystemError();
        return result == 0 ? 0 : errno;
    }

    /// <summary>True when the descriptor is in O_NONBLOCK mode.</summary>
    public static bool IsNonBlocking(int fd) => (Fcntl(fd, FGetFl, 0) & ONonBlock) != 0;

    /// <summary>Non-blocking receive; returns the bytes read (0 = end of stream) or -errno.</summary>
    public static int Receive(int fd, Span<byte> buffer)
    {
        while (true)
        {
            nint n;
            int errno;
            fixed (byte* start = &MemoryMarshal.GetReference(buffer))
            {
                n = Recv(fd, start, (nuint)buffer.Length, MsgDontWait);
                errno = Marshal.GetLastSystemError();
            }

            if (n >= 0)
            {
                return (int)n;
            }

            if (errno != EIntr)
            {
                return -errno;
            }
        }
    }

    /// <summary>Non-blocking send without SIGPIPE; returns the bytes sent or -errno.</summary>
    public static int Send(int fd, ReadOnlySpan<byte> data)
    {
        while (true)
        {
            nint n;
            int errno;
            fixed (byte* start = &MemoryMarshal.GetReference(data))
            {
                n = SendCall(fd, start, (nuint)data.Length, MsgDontWait | MsgNoSignal);
                errno = Marshal.GetLastSystemError();
            }

            if (n >= 0)
            {
                return (int)n;
            }

            if (errno != EIntr)
            {
                return -errno;
            }
        }
    }

    /// <summary>
    /// Starts a connect on a non-blocking socket. Returns 0 (connected), <see cref="EInProgress"/> (wait for
    /// writability, then read <see cref="PendingError"/>), another errno, or -1 when the endpoint has no native
    /// form here (the caller uses the runtime's connect).
    /// </summary>
    public static int StartConnect(int fd, EndPoint endPoint)
    {
        byte* address = stackalloc byte[28];
        int length = WriteSockAddr(endPoint, new Span<byte>(address, 28));
        if (length < 0)
        {
            return -1;
        }

        int result = ConnectCall(fd, address, length);
        int errno = Marshal.GetLastSystemError();
        return result == 0 ? 0 : errno;
    }

    /// <summary>SO_ERROR: the outcome of a non-blocking connect (0 = connected), or the getsockopt errno.</summary>
    public static int PendingError(int fd)
    {
        int value = 0;
        int length = sizeof(int);
        int result = GetSockOpt(fd, SolSocket, SoError, &value, &length);
        int errno = Marshal.GetLastSystemError();
        return result == 0 ? value : errno;
    }

    /// <summary>
    /// The connections waiting in a listening TCP socket's accept queue: <c>TCP_INFO</c> reports the queue length of a
    /// socket in LISTEN state as <c>tcpi_unacked</c> (what <c>ss -l</c> shows as Recv-Q); 0 when the call fails.
    /// </summary>
    public static int AcceptQueueLength(int fd)
    {
        // struct tcp_info (linux/tcp.h): eight 8-bit fields, then __u32 rto, ato, snd_mss, rcv_mss, unacked.
        const int UnackedOffset = 24;
        byte* info = stackalloc byte[32];
        int length = 32;
        if (GetSockOpt(fd, IpProtoTcp, TcpInfo, info, &length) != 0 || length < UnackedOffset + sizeof(uint))
        {
            return 0;
        }

        return (int)Math.Min(MemoryMarshal.Read<uint>(new ReadOnlySpan<byte>(info + UnackedOffset, sizeof(uint))), int.MaxValue);
    }

    /// <summary>
    /// A new TCP socket for <paramref name="family"/>, non-blocking and close-on-exec from birth (<c>socket(2)</c> with
    /// SOCK_NONBLOCK | SOCK_CLOEXEC: no <c>fcntl</c> after it). Returns the descriptor, or -errno.
    /// </summary>
    public static int CreateTcpSocket(AddressFamily family)
    {
        int domain = family switch
        {
            AddressFamily.InterNetwork => AfInet,
            AddressFamily.InterNetworkV6 => AfInet6,
            _ => -1,
        };
        if (domain < 0)
        {
            return -97;   // EAFNOSUPPORT
        }

        int fd = SocketCall(domain, SockStream | SockNonBlock | SockCloExec, IpProtoTcp);
        int errno = Marshal.GetLastSystemError();
        return fd >= 0 ? fd : -errno;
    }

    /// <summary>
    /// Takes one connection from a listening socket's queue: <c>accept4(2)</c> with SOCK_NONBLOCK | SOCK_CLOEXEC, so the
    /// new socket needs no <c>fcntl</c>, and its peer's address read from the returned <c>sockaddr</c> (no
    /// <c>getpeername</c>). Returns the descriptor, or -errno (EINTR retried).
    /// </summary>
    public static int Accept(int listener, out PeerAddress remote)
    {
        Span<byte> address = stackalloc byte[28];
        while (true)
        {
            int length = address.Length;
            int fd = Accept4(listener, ref MemoryMarshal.GetReference(address), ref length, SockNonBlock | SockCloExec);
            if (fd >= 0)
            {
                remote = PeerAddress.Read(address[..Math.Min(length, address.Length)]);
                return fd;
            }

            int errno = Marshal.GetLastPInvokeError();
            if (errno != EIntr)
            {
                remote = default;
                return -errno;
            }
        }
    }

    /// <summary>The socket's own address (<c>getsockname(2)</c>), or null when the call fails or the family is not IP.</summary>
    public static IPEndPoint? LocalAddress(int fd)
    {
        byte* address = stackalloc byte[28];
        int length = 28;
        return GetSockName(fd, address, &length) == 0
            ? PeerAddress.Read(new ReadOnlySpan<byte>(address, Math.Min(length, 28))).ToEndPoint()
            : null;
    }

    /// <summary>TCP_NODELAY on (RFC 896's algorithm off). Returns 0 or the errno.</summary>
    public static int SetNoDelay(int fd)
    {
        int one = 1;
        int result = SetSockOpt(fd, IpProtoTcp, TcpNoDelay, &one, sizeof(int));
        int errno = Marshal.GetLastSystemError();
        return result == 0 ? 0 : errno;
    }

    /// <summary>
    /// SO_LINGER on with a zero timeout: the close(2) that follows discards unsent data and sends RST instead of FIN
    /// (RFC 793 §3.5 "abort"). Returns 0 or the errno.
    /// </summary>
    public static int SetAbortiveClose(int fd)
    {
        int* linger = stackalloc int[] { 1, 0 };   // struct linger { int l_onoff; int l_linger; }
        int result = SetSockOpt(fd, SolSocket, SoLinger, linger, 2 * sizeof(int));
        int errno = Marshal.GetLastSystemError();
        return result == 0 ? 0 : errno;
    }

    /// <summary>
    /// <c>close(2)</c>. Returns 0 or the errno; not retried on EINTR, since Linux releases the descriptor either way
    /// (a retry could close a number another thread was just given).
    /// </summary>
    public static int Close(int fd)
    {
        int result = CloseCall(fd);
        int errno = Marshal.GetLastSystemError();
        return result == 0 ? 0 : errno;
    }

    /// <summary><c>shutdown(2)</c>: 1 (SHUT_WR) sends FIN, 2 (SHUT_RDWR) both ways. Returns 0 or the errno.</summary>
    public static int Shutdown(int fd, int how)
    {
        int result = ShutdownCall(fd, how);
        int errno = Marshal.GetLastSystemError();
        return result == 0 ? 0 : errno;
    }

    /// <summary>The bytes in the socket's receive queue (<c>FIONREAD</c>, tcp(7) <c>SIOCINQ</c>), or -errno.</summary>
    public static int ReceivableBytes(int fd)
    {
        int count = 0;
        int result = Ioctl(fd, FionRead, &count);
        int errno = Marshal.GetLastSystemError();
        return result == 0 ? count : -errno;
    }

    /// <summary>The exception the runtime would raise for <paramref name="errno"/> on a socket call.</summary>
    public static SocketException ToException(int errno) => new((int)ToSocketError(errno));

    /// <summary>The <see cref="SocketError"/> the runtime reports for <paramref name="errno"/> on a socket call.</summary>
    public static SocketError ToSocketError(int errno) => errno switch
    {
        104 => SocketError.ConnectionReset,
        32 => SocketError.Shutdown,
        110 => SocketError.TimedOut,
        111 => SocketError.ConnectionRefused,
        113 => SocketError.HostUnreachable,
        101 => SocketError.NetworkUnreachable,
        103 => SocketError.ConnectionAborted,
        107 => SocketError.NotConnected,
        9 => SocketError.OperationAborted,
        99 => SocketError.AddressNotAvailable,
        23 or 24 => SocketError.TooManyOpenSockets,   // ENFILE, EMFILE
        105 or 12 => SocketError.NoBufferSpaceAvailable,   // ENOBUFS, ENOMEM
        97 => SocketError.AddressFamilyNotSupported,
        4 => SocketError.Interrupted,
        11 => SocketError.WouldBlock,
        13 or 1 => SocketError.AccessDenied,   // EACCES, EPERM
        22 => SocketError.InvalidArgument,
        _ => SocketError.SocketError,
    };

    /// <summary>Writes sockaddr_in / sockaddr_in6 for an IP endpoint; -1 for other endpoint kinds.</summary>
    private static int WriteSockAddr(EndPoint endPoint, Span<byte> address)
    {
        if (endPoint is not IPEndPoint ip)
        {
            return -1;
        }

        address.Clear();
        ushort port = (ushort)ip.Port;
        if (ip.AddressFamily == AddressFamily.InterNetwork)
        {
            MemoryMarshal.Write(address, AfInet);                 // sa_family, host order
            address[2] = (byte)(port >> 8);                        // sin_port, network order
            address[3] = (byte)port;
            return ip.Address.TryWriteBytes(address[4..8], out _) ? 16 : -1;
        }

        if (ip.AddressFamily == AddressFamily.InterNetworkV6)
        {
            MemoryMarshal.Write(address, AfInet6);
            address[2] = (byte)(port >> 8);
            address[3] = (byte)port;
            if (!ip.Address.TryWriteBytes(address[8..24], out _))  // after sin6_flowinfo
            {
                return -1;
            }

            MemoryMarshal.Write(address[24..], (uint)ip.Address.ScopeId);
            return 28;
        }

        return -1;
    }

    // Blocking, or made once: the runtime's transition and SetLastError.
    [LibraryImport(LibC, EntryPoint = "epoll_create1", SetLastError = true)]
    private static partial int EpollCreate1(int flags);

    [LibraryImport(LibC, EntryPoint = "epoll_wait", SetLastError = true)]
    private static partial int EpollWaitPacked(int epoll, ref EpollEventPacked events, int max, int timeoutMs);

    [LibraryImport(LibC, EntryPoint = "epoll_wait", SetLastError = true)]
    private static partial int EpollWaitAligned(int epoll, ref EpollEventAligned events, int max, int timeoutMs);

    [LibraryImport(LibC, EntryPoint = "accept4", SetLastError = true)]
    private static partial int Accept4(int fd, ref byte address, ref int length, int flags);

    // Never sleep (see the remarks): no transition, errno read by the caller right after the call.
    [LibraryImport(LibC, EntryPoint = "epoll_ctl")]
    [SuppressGCTransition]
    private static partial int EpollCtlPacked(int epoll, int operation, int fd, EpollEventPacked* ev);

    [LibraryImport(LibC, EntryPoint = "epoll_ctl")]
    [SuppressGCTransition]
    private static partial int EpollCtlAligned(int epoll, int operation, int fd, EpollEventAligned* ev);

    [LibraryImport(LibC, EntryPoint = "fcntl")]
    [SuppressGCTransition]
    private static partial int Fcntl(int fd, int command, int argument);

    [LibraryImport(LibC, EntryPoint = "recv")]
    [SuppressGCTransition]
    private static partial nint Recv(int fd, byte* buffer, nuint length, int flags);

    [LibraryImport(LibC, EntryPoint = "send")]
    [SuppressGCTransition]
    private static partial nint SendCall(int fd, byte* buffer, nuint length, int flags);

    [LibraryImport(LibC, EntryPoint = "connect")]
    [SuppressGCTransition]
    private static partial int ConnectCall(int fd, byte* address, int length);

    [LibraryImport(LibC, EntryPoint = "socket")]
    [SuppressGCTransition]
    private static partial int SocketCall(int domain, int type, int protocol);

    [LibraryImport(LibC, EntryPoint = "getsockname")]
    [SuppressGCTransition]
    private static partial int GetSockName(int fd, byte* address, int* length);

    [LibraryImport(LibC, EntryPoint = "setsockopt")]
    [SuppressGCTransition]
    private static partial int SetSockOpt(int fd, int level, int name, void* value, int length);

    [LibraryImport(LibC, EntryPoint = "close")]
    [SuppressGCTransition]
    private static partial int CloseCall(int fd);

    [LibraryImport(LibC, EntryPoint = "shutdown")]
    [SuppressGCTransition]
    private static partial int ShutdownCall(int fd, int how);

    [LibraryImport(LibC, EntryPoint = "ioctl")]
    [SuppressGCTransition]
    private static partial int Ioctl(int fd, nuint request, int* value);

    /// <summary>getsockopt(2) into <paramref name="length"/> bytes at <paramref name="value"/> (an int, or a struct's bytes).</summary>
    [LibraryImport(LibC, EntryPoint = "getsockopt")]
    [SuppressGCTransition]
    private static partial int GetSockOpt(int fd, int level, int name, void* value, int* length);
}
