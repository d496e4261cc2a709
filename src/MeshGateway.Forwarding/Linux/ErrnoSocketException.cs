using System.Net.Sockets;

namespace MeshGateway.Forwarding;

/// <summary>
/// A <see cref="SocketException"/> for a failed system call the forwarder made itself, carrying the errno as its
/// <see cref="ErrorCode"/> as the runtime's own socket exceptions do on Linux, so that the errno survives even where
/// <see cref="SocketError"/> has no name for it (EPROTO, ENONET: see <see cref="AcceptErrors"/>).
/// </summary>
internal sealed class ErrnoSocketException(int errno) : SocketException((int)LinuxSockets.ToSocketError(errno))
{
    /// <summary>The errno of the call.</summary>
    public override int ErrorCode => errno;
}
