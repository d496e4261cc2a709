using System.Runtime.InteropServices;

namespace MeshGateway.Forwarding;

/// <summary>
/// Runs a system call on a socket's descriptor while holding a reference to its handle, so a concurrent teardown
/// cannot close the descriptor (and let the kernel hand its number to a new socket) in the meantime.
/// </summary>
internal static class SocketDescriptor
{
    /// <summary>
    /// Calls <paramref name="call"/> with the descriptor of <paramref name="handle"/>; returns
    /// <paramref name="whenClosed"/> without calling when the handle was already closed.
    /// </summary>
    public static TResult Invoke<TState, TResult>(SafeHandle handle, TState state, Func<int, TState, TResult> call, TResult whenClosed)
    {
        bool added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            return call((int)handle.DangerousGetHandle(), state);
        }
        catch (ObjectDisposedException)
        {
            return whenClosed;
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }
}
