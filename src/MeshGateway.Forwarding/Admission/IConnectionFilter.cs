namespace MeshGateway.Forwarding;

/// <summary>
/// Admission stage: decides whether an accepted connection may proceed, before any byte is read
/// (allow lists, per-source limits, rate limits). Filters run in registration order; the first refusal closes
/// the connection with <see cref="CloseCause.Rejected"/>.
/// </summary>
public interface IConnectionFilter
{
    /// <summary>Returns true to let the connection proceed, false to close it.</summary>
    /// <param name="context">The connection; only its end points and id are known yet.</param>
    /// <param name="cancellationToken">Cancelled when the connection is aborted.</param>
    ValueTask<bool> AllowAsync(ForwardingContext context, CancellationToken cancellationToken);
}
