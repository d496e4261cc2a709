namespace MeshGateway.Forwarding;

/// <summary>How the forwarder moves bytes between the two sockets once a connection is streaming.</summary>
public enum PumpMode
{
    /// <summary>A userspace copy loop: receive into a pooled buffer, send it on (the default; every platform).</summary>
    Copy,

    /// <summary>
    /// On Linux, move bytes socket → pipe → socket with <c>splice(2)</c>, so they never enter user space; falls back
    /// to <see cref="Copy"/> on other platforms, for connections that are not socket to socket, and where the
    /// kernel refuses (<c>EINVAL</c>, <c>ENOSYS</c>) or no pipe can be created. Same semantics as the copy loop.
    /// </summary>
    SpliceWhenPossible,
}
