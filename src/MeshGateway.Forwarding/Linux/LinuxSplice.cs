using System.Runtime.InteropServices;

namespace MeshGateway.Forwarding;

/// <summary>
/// The Linux system calls of the splice pump (<c>pipe2(2)</c>, <c>splice(2)</c>, <c>fcntl(2)</c> F_SETPIPE_SZ,
/// <c>read(2)</c>, <c>close(2)</c>), source-generated P/Invoke (AOT-safe, no runtime marshalling stubs).
/// Errno values are the generic Linux ones (x86-64, arm64).
/// </summary>
internal static partial class LinuxSplice
{
    /// <summary>SPLICE_F_MOVE: move pages instead of copying when the kernel can (a hint).</summary>
    public const uint Move = 1;

    /// <summary>SPLICE_F_NONBLOCK: do not block on the pipe. Never SPLICE_F_MORE: it corks the socket (golang/go#10948).</summary>
    public const uint NonBlock = 2;

    private const string LibC = "libc";
    private const int ONonBlock = 0x800;
    private const int OCloExec = 0x80000;
    private const int FSetPipeSize = 1031;
    private const int EIntr = 4;
    private const int EAgain = 11;
    private const int EInval = 22;
    private const int ENoSys = 38;
    private const int EOpNotSupp = 95;

    /// <summary>True where splice can be tried at all; failures after that fall back per connection.</summary>
    public static bool IsSupported { get; } = OperatingSystem.IsLinux();

    /// <summary>Creates a non-blocking, close-on-exec pipe and asks for <paramref name="size"/> bytes of capacity.</summary>
    /// <returns>The read and write ends and the capacity granted, or null when no pipe could be created.</returns>
    public static (int Read, int Write, int Capacity)? TryCreatePipe(int size)
    {
        Span<int> fds = stackalloc int[2];
        try
        {
            if (Pipe2(fds, ONonBlock | OCloExec) != 0)
            {
                return null;
            }
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }

        // F_SETPIPE_SZ returns the capacity granted; it fails (EPERM) past pipe-user-pages-soft, and the default
        // 64 KiB pipe still works, so keep it then.
        int capacity = Fcntl(fds[1], FSetPipeSize, size);
        return (fds[0], fds[1], capacity > 0 ? capacity : 64 * 1024);
    }

    /// <summary>Closes a pipe end.</summary>
    public static void ClosePipe(int fd) => _ = Close(fd);

    /// <summary>
    /// How many empty pipes the process keeps for reuse. A spliced direction holds a pipe only while bytes are in
    /// it: it takes one when its source turns readable and gives it back once the pipe is drained and the source
    /// has nothing more (HAProxy does the same with its pipe pool, <c>tune.maxpipes</c>), so idle connections
    /// hold no pipe, no descriptors for one and no kernel pipe ring.
    /// </summary>
    internal const int PooledPipeLimit = 64;

    private static readonly (int Read, int Write, int Capacity)[] s_pooledPipes = new (int, int, int)[PooledPipeLimit];
    private static readonly Lock s_pooledPipesGate = new();
    private static int s_pooledPipeCount;
    private static int s_pipesInUse;
    private static long s_pipesRented;

    /// <summary>Pipes handed out by <see cref="RentPipe"/> and not yet given back (for tests: idle connections hold none).</summary>
    internal static int PipesInUse => Volatile.Read(ref s_pipesInUse);

    /// <summary>Pipes handed out by <see cref="RentPipe"/> since the process started (for tests: splice really ran).</summary>
    internal static long PipesRented => Interlocked.Read(ref s_pipesRented);

    /// <summary>Empty pipes kept for reuse now.</summary>
    internal static int PooledPipes => Volatile.Read(ref s_pooledPipeCount);

    /// <summary>
    /// An empty pipe: one kept by <see cref="ReturnPipe"/>, or a new one of <paramref name="size"/> bytes (every
    /// caller asks for the same size); null when none can be made.
    /// </summary>
    public static (int Read, int Write, int Capacity)? RentPipe(int size)
    {
        (int Read, int Write, int Capacity)? pipe = null;
        lock (s_pooledPipesGate)
        {
            if (s_pooledPipeCount > 0)
            {
                pipe = s_pooledPipes[--s_pooledPipeCount];
            }
        }

        pipe ??= TryCreatePipe(size);
        if (pipe is not null)
        {
            Interlocked.Increment(ref s_pipesInUse);
            Interlocked.Increment(ref s_pipesRented);
        }

        return pipe;
    }

    /// <summary>
    /// Gives back a pipe from <see cref="RentPipe"/>: kept for the next direction when <paramref name="empty"/> and the
    /// pool has room, closed otherwise (a pipe with bytes left in it is never reused).
    /// </summary>
    public static void ReturnPipe((int Read, int Write, int Capacity) pipe, bool empty)
    {
        Interlocked.Decrement(ref s_pipesInUse);
        if (empty)
        {
            lock (s_pooledPipesGate)
            {
                if (s_pooledPipeCount < PooledPipeLimit)
                {
                    s_pooledPipes[s_pooledPipeCount++] = pipe;
                    return;
                }
            }
        }

        ClosePipe(pipe.Read);
        ClosePipe(pipe.Write);
    }

    /// <summary>
    /// One non-blocking splice between a socket and a pipe end. Returns the bytes moved (0 = end of stream from a
    /// socket), or a negative <see cref="SpliceStatus"/>.
    /// </summary>
    public static long Splice(SafeHandle socket, int pipe, bool socketToPipe, int length) =>
        SocketDescriptor.Invoke(socket, (pipe, socketToPipe, length), static (fd, a) => SpliceRetrying(fd, a.pipe, a.socketToPipe, a.length), (long)SpliceStatus.Closed);

    private static long SpliceRetrying(int fd, int pipe, bool socketToPipe, int length)
    {
        while (true)
        {
            nint moved = socketToPipe
                ? SpliceCall(fd, 0, pipe, 0, (nuint)length, Move | NonBlock)
                : SpliceCall(pipe, 0, fd, 0, (nuint)length, Move | NonBlock);
            if (moved >= 0)
            {
                return moved;
            }

            int errno = Marshal.GetLastPInvokeError();
            if (errno != EIntr)
            {
                return (long)Classify(errno);
            }
        }
    }

    /// <summary>Reads from a pipe's read end into <paramref name="buffer"/> (a small head when the socket is full).</summary>
    public static int ReadPipe(int pipe, Span<byte> buffer)
    {
        while (true)
        {
            nint read = Read(pipe, buffer, (nuint)buffer.Length);
            if (read >= 0 || Marshal.GetLastPInvokeError() != EIntr)
            {
                return (int)read;
            }
        }
    }

    private static SpliceStatus Classify(int errno) => errno switch
    {
        EAgain => SpliceStatus.WouldBlock,
        EInval or ENoSys or EOpNotSupp => SpliceStatus.Unsupported,
        _ => SpliceStatus.Failed,
    };

    [LibraryImport(LibC, EntryPoint = "pipe2", SetLastError = true)]
    private static partial int Pipe2(Span<int> fds, int flags);

    [LibraryImport(LibC, EntryPoint = "fcntl", SetLastError = true)]
    private static partial int Fcntl(int fd, int command, int argument);

    [LibraryImport(LibC, EntryPoint = "splice", SetLastError = true)]
    private static partial nint SpliceCall(int fdIn, nint offIn, int fdOut, nint offOut, nuint length, uint flags);

    [LibraryImport(LibC, EntryPoint = "read", SetLastError = true)]
    private static partial nint Read(int fd, Span<byte> buffer, nuint count);

    [LibraryImport(LibC, EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}

/// <summary>Negative results of <see cref="LinuxSplice.Splice"/>.</summary>
internal enum SpliceStatus
{
    /// <summary>EAGAIN: the socket has no data (to pipe) or no room (from pipe).</summary>
    WouldBlock = -1,

    /// <summary>EINVAL, ENOSYS, EOPNOTSUPP: this pair of descriptors cannot be spliced; use the copy loop.</summary>
    Unsupported = -2,

    /// <summary>Any other error (ECONNRESET, EPIPE, ...): the socket is gone.</summary>
    Failed = -3,

    /// <summary>The socket was disposed by a teardown.</summary>
    Closed = -4,
}
