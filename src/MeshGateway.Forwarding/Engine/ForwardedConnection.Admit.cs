using System.Runtime.CompilerServices;

namespace MeshGateway.Forwarding;

internal sealed partial class ForwardedConnection
{
    /// <summary>
    /// Runs the connection filters in order; the first that says no closes the connection with
    /// <see cref="CloseCause.Rejected"/>. The phase shares the sniff deadline.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<bool> AdmitAsync()
    {
        foreach (IConnectionFilter filter in _stages.Filters)
        {
            // A filter that ignores its token is abandoned when the sniff deadline (or a drain) aborts the connection.
            ValueTask<bool> pending = filter.AllowAsync(Context, AbortToken);
            bool allowed = pending.IsCompleted ? pending.Result : await pending.AsTask().WaitAsync(AbortToken).ConfigureAwait(false);
            if (!allowed)
            {
                Refuse(CloseCause.Rejected);
                return false;
            }
        }

        return Cause == CloseCause.None;
    }

    private void Refuse(CloseCause cause)
    {
        if (TrySetCause(cause, error: null))
        {
            ForwarderLog.Refused(_stages.Logger, Context.ConnectionId, Context.RemoteEndPoint, cause, LogfmtValue.Format(Context.ClientHello?.ServerName));
            Teardown(reset: false);
        }
    }
}
