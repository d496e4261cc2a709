using System.Runtime.InteropServices;

namespace MeshGateway.Forwarding;

/// <summary>
/// A socket descriptor the engine made itself (the listener's <c>accept4</c>, a dial's <c>socket</c>) and closes with a
/// plain <c>close(2)</c>: no runtime <see cref="System.Net.Sockets.Socket"/> around it. The reference count of
/// <see cref="SafeHandle"/> keeps a call in flight on another thread (<see cref="SocketDescriptor"/>) from racing the
/// close onto a reused descriptor number.
/// </summary>
/// <remarks>
/// Not a <see cref="System.Net.Sockets.SafeSocketHandle"/>: disposing one that no <c>Socket</c> owns takes the
/// runtime's abortive path (SO_LINGER 0, so the close sends RST). Whether a close sends FIN or RST is the engine's
/// decision (<see cref="ReadinessSocketSide.Close(bool)"/>), never the handle's.
/// </remarks>
internal sealed class DescriptorHandle : SafeHandle
{
    /// <summary>Owns <paramref name="fd"/>.</summary>
    public DescriptorHandle(int fd)
        : base(invalidHandleValue: -1, ownsHandle: true) => SetHandle(fd);

    /// <inheritdoc/>
    public override bool IsInvalid => handle < 0;

    /// <summary>The descriptor number (valid while a reference is held or the handle is open).</summary>
    public int Descriptor => (int)handle;

    /// <inheritdoc/>
    protected override bool ReleaseHandle() => LinuxSockets.Close((int)handle) == 0;
}
