namespace MeshGateway.Forwarding;

/// <summary>
/// How a forwarded connection ended: cause × phase, bytes each way and duration. Given to observers, the log
/// and the metrics once per connection.
/// </summary>
/// <param name="Cause">Why the connection ended.</param>
/// <param name="Phase">The stage it was in when it ended.</param>
/// <param name="BytesFromClient">Bytes read from the client and sent upstream, including the replayed ClientHello.</param>
/// <param name="BytesToClient">Bytes read from the upstream and sent to the client.</param>
/// <param name="Duration">Time from accept to close, measured with the forwarder's <see cref="TimeProvider"/>.</param>
/// <param name="Error">The exception behind the close, when there was one (for example every failed connect attempt).</param>
public sealed record ForwardingResult(
    CloseCause Cause,
    ForwardingPhase Phase,
    long BytesFromClient,
    long BytesToClient,
    TimeSpan Duration,
    Exception? Error)
{
    /// <summary>True when the connection ended by FIN from both sides, with nothing lost.</summary>
    public bool IsGraceful => Cause is CloseCause.ClientClosed or CloseCause.UpstreamClosed;
}
