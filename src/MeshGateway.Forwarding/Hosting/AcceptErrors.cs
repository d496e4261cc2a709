using System.Net.Sockets;

namespace MeshGateway.Forwarding;

/// <summary>
/// Which <c>accept(2)</c> failures a listener survives, and their errno names for the log. accept(2) "ERRORS":
/// EMFILE/ENFILE (descriptor limits), ENOBUFS/ENOMEM (socket buffers), ECONNABORTED (the client left while queued);
/// and Linux passes a queued connection's pending network error (ENETDOWN, EPROTO, ENOPROTOOPT, EHOSTDOWN, ENONET,
/// EHOSTUNREACH, EOPNOTSUPP, ENETUNREACH), firewall refusals (EPERM) and EAGAIN/EINTR through accept as well, so
/// those are transient too. Anything else (EBADF, EINVAL, ENOTSOCK: the socket itself is gone) ends the listener.
/// </summary>
internal static class AcceptErrors
{
    private static readonly Dictionary<int, string> TransientErrnos = new()
    {
        [1] = "EPERM", [4] = "EINTR", [11] = "EAGAIN", [12] = "ENOMEM", [23] = "ENFILE", [24] = "EMFILE",
        [64] = "ENONET", [71] = "EPROTO", [92] = "ENOPROTOOPT", [95] = "EOPNOTSUPP", [100] = "ENETDOWN",
        [101] = "ENETUNREACH", [103] = "ECONNABORTED", [104] = "ECONNRESET", [105] = "ENOBUFS", [110] = "ETIMEDOUT",
        [112] = "EHOSTDOWN", [113] = "EHOSTUNREACH",
    };

    /// <summary>True when the listener should log, back off and accept again.</summary>
    public static bool IsTransient(SocketException error) => error.SocketErrorCode switch
    {
        SocketError.TooManyOpenSockets or SocketError.NoBufferSpaceAvailable or SocketError.ConnectionAborted
            or SocketError.ConnectionReset or SocketError.Interrupted or SocketError.WouldBlock or SocketError.TryAgain
            or SocketError.NetworkDown or SocketError.NetworkUnreachable or SocketError.NetworkReset
            or SocketError.HostUnreachable or SocketError.HostDown or SocketError.ProtocolOption
            or SocketError.AccessDenied or SocketError.OperationNotSupported or SocketError.TimedOut => true,
        _ => OperatingSystem.IsLinux() && TransientErrnos.ContainsKey(error.ErrorCode),
    };

    /// <summary>
    /// The errno name (EMFILE, ENOBUFS, …) when known, else the <see cref="SocketError"/> name. The runtime folds
    /// EMFILE and ENFILE into <see cref="SocketError.TooManyOpenSockets"/> (and reports ENFILE back), so the two are
    /// told apart here by the process's own count: at (or unable to count below) its limit it is EMFILE, the
    /// process's limit; well below it, ENFILE, the system-wide table.
    /// </summary>
    public static string Name(SocketException error, int openDescriptors, long descriptorLimit)
    {
        if (error.SocketErrorCode == SocketError.TooManyOpenSockets)
        {
            return openDescriptors >= 0 && descriptorLimit > 0 && openDescriptors < descriptorLimit - 16 ? "ENFILE" : "EMFILE";
        }

        return OperatingSystem.IsLinux() && TransientErrnos.TryGetValue(error.ErrorCode, out string? name)
            ? name
            : error.SocketErrorCode switch
            {
                SocketError.NoBufferSpaceAvailable => "ENOBUFS",
                SocketError.ConnectionAborted => "ECONNABORTED",
                _ => error.SocketErrorCode.ToString(),
            };
    }
}
