namespace MeshGateway.Forwarding;

/// <summary>How the forwarder moves bytes between the two sockets once a connection is streaming.</summary>
public enum PumpMode
{
    /// <summary>A userspace copy loop: receive into a pooled buffer, send it on (every platform).</summary>
    Copy,

    /// <summary>
    /// On Linux, move bytes socket → pipe → socket with <c>splice(2)</c>, so they never enter user space; falls back
    /// to <see cref="Copy"/> on other platforms, for connections that are not socket to socket, and where the
    /// kernel refuses (<c>EINVAL</c>, <c>ENOSYS</c>) or no pipe can be created. Same semantics as the copy loop.
    /// </summary>
    SpliceWhenPossible,

    /// <summary>
    /// The default: <see cref="Copy"/>, and on Linux a direction that moves a bulk transfer switches to
    /// <c>splice(2)</c> (as HAProxy's <c>splice-auto</c> does). A direction switches once a receive filled the whole
    /// copy buffer (<see cref="ForwarderOptions.BufferSize"/>; the source had more queued than it holds) and the
    /// process has a pipe to spare (the pipes fit in the descriptor limit beside <see cref="ForwarderOptions.MaxConnections"/>
    /// connections at 2 descriptors each). Short exchanges (a handshake, a request and its answer) never pay for a
    /// pipe; a bulk stream costs what <see cref="SpliceWhenPossible"/> costs. Sockets the runtime waits on (a host's,
    /// or where the own readiness loop is unavailable) always copy.
    /// </summary>
    Auto,
}
