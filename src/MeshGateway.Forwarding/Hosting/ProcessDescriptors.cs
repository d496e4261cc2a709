using System.Runtime.InteropServices;

namespace MeshGateway.Forwarding;

/// <summary>
/// The process's file descriptors: the <c>RLIMIT_NOFILE</c> limits (<c>getrlimit(2)</c>/<c>setrlimit(2)</c>) and
/// how many are open now (<c>/proc/self/fd</c>). Linux only; elsewhere every call reports "unknown". A forwarder
/// reads the limit to size its connection cap, but never changes it: the process that embeds the library owns its
/// limits. A standalone host (the <c>meshgw</c> tool) may call <see cref="TryRaiseSoftLimitToHard"/> at start.
/// </summary>
public static partial class ProcessDescriptors
{
    /// <summary>RLIMIT_NOFILE on Linux (x86-64 and arm64 use the generic value).</summary>
    private const int RlimitNoFile = 7;

    /// <summary>
    /// Reads the soft (enforced) and hard (ceiling) descriptor limits; <see cref="long.MaxValue"/> stands for
    /// RLIM_INFINITY. Returns false when the limits cannot be read (not Linux, or the call failed).
    /// </summary>
    internal static bool TryGetLimits(out long soft, out long hard)
    {
        soft = hard = 0;
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        var limit = default(Rlimit);
        if (GetRlimit(RlimitNoFile, ref limit) != 0)
        {
            return false;
        }

        soft = ToLong(limit.Current);
        hard = ToLong(limit.Maximum);
        return true;
    }

    /// <summary>
    /// Raises the soft descriptor limit to the hard one (as an unprivileged process may). Returns false when the
    /// limits cannot be read or set; <paramref name="soft"/> is the soft limit in force afterwards (0 when unknown).
    /// </summary>
    public static bool TryRaiseSoftLimitToHard(out long soft)
    {
        if (!TryGetLimits(out soft, out long hard))
        {
            return false;
        }

        if (soft >= hard)
        {
            return true;
        }

        var limit = new Rlimit { Current = FromLong(hard), Maximum = FromLong(hard) };
        if (SetRlimit(RlimitNoFile, ref limit) != 0)
        {
            return false;
        }

        soft = hard;
        return true;
    }

    /// <summary>
    /// The number of descriptors open now (entries of <c>/proc/self/fd</c>, less the one the listing itself opens),
    /// or -1 when it cannot be counted (not Linux, or no descriptor left to open the directory with).
    /// </summary>
    internal static int CountOpen()
    {
        if (!OperatingSystem.IsLinux())
        {
            return -1;
        }

        try
        {
            int count = 0;
            foreach (string _ in Directory.EnumerateFileSystemEntries("/proc/self/fd"))
            {
                count++;
            }

            return Math.Max(0, count - 1);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return -1;
        }
    }

    /// <summary>
    /// Descriptors one forwarded connection holds at most: the client and upstream sockets, plus with
    /// <see cref="PumpMode.SpliceWhenPossible"/> on Linux one pipe (two ends) per direction. <see cref="PumpMode.Auto"/>
    /// on Linux counts 2.5: its two sockets and a pipe for one connection in four (HAProxy's default <c>maxpipes</c> is
    /// <c>maxconn</c> / 4), the pipes it may use (<see cref="SplicePipeBudget"/>) when the limit binds.
    /// </summary>
    internal static double PerConnection(PumpMode pump) => !LinuxSplice.IsSupported ? 2 : pump switch
    {
        PumpMode.SpliceWhenPossible => 6,
        PumpMode.Auto => 2.5,
        _ => 2,
    };

    /// <summary>
    /// How many pipes <see cref="PumpMode.Auto"/> may hold in use at once: what the soft descriptor limit
    /// (<paramref name="limit"/>) holds beyond <paramref name="reserve"/>, <paramref name="connections"/> connections at
    /// 2 descriptors each and the idle pipes the pool keeps, at 2 descriptors a pipe. Unbounded when the limit is
    /// unknown or unlimited; 0 when nothing is left (every direction then copies).
    /// </summary>
    internal static int SplicePipeBudget(int connections, long limit, int reserve)
    {
        if (limit <= 0 || limit == long.MaxValue)
        {
            return int.MaxValue;
        }

        long spare = limit - reserve - (2L * connections) - (2L * LinuxSplice.PooledPipeLimit);
        return (int)Math.Clamp(spare / 2, 0, int.MaxValue);
    }

    /// <summary>
    /// The connection cap the descriptor limit can hold (as HAProxy derives <c>maxconn</c> from <c>ulimit -n</c>):
    /// <paramref name="requested"/> when the limit is unknown or large enough, else
    /// (<paramref name="limit"/> - <paramref name="reserve"/>) / <paramref name="perConnection"/>, at least 1.
    /// </summary>
    internal static int ClampMaxConnections(int requested, double perConnection, long limit, int reserve)
    {
        if (limit <= 0 || limit == long.MaxValue)
        {
            return requested;
        }

        long fits = (long)((limit - reserve) / perConnection);
        return (int)Math.Clamp(fits, 1, requested);
    }

    private static long ToLong(ulong value) => value > long.MaxValue ? long.MaxValue : (long)value;

    private static ulong FromLong(long value) => value == long.MaxValue ? ulong.MaxValue : (ulong)value;

    [LibraryImport("libc", EntryPoint = "getrlimit", SetLastError = true)]
    private static partial int GetRlimit(int resource, ref Rlimit limit);

    [LibraryImport("libc", EntryPoint = "setrlimit", SetLastError = true)]
    private static partial int SetRlimit(int resource, ref Rlimit limit);

    /// <summary>struct rlimit { rlim_t rlim_cur; rlim_t rlim_max; } with a 64-bit rlim_t (LP64 Linux).</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct Rlimit
    {
        public ulong Current;
        public ulong Maximum;
    }
}
