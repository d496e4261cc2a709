namespace MeshGateway.Consul.Client;

/// <summary>
/// Jittered exponential backoff between failed queries: the ceiling doubles with each consecutive failure up to a
/// maximum, and the delay is drawn from the upper half of it ("equal jitter"), so many gateways that lost the same agent
/// do not return in step.
/// </summary>
internal static class ConsulBackoff
{
    /// <summary>The delay after the <paramref name="failures"/>-th consecutive failure (1 for the first).</summary>
    /// <param name="failures">Consecutive failures so far, at least 1.</param>
    /// <param name="baseDelay">The ceiling after the first failure.</param>
    /// <param name="maxDelay">The largest ceiling.</param>
    /// <param name="unitRandom">A number in [0, 1).</param>
    public static TimeSpan Delay(int failures, TimeSpan baseDelay, TimeSpan maxDelay, double unitRandom)
    {
        int doublings = Math.Clamp(failures - 1, 0, 30);
        double ceilingTicks = Math.Min(maxDelay.Ticks, baseDelay.Ticks * Math.Pow(2, doublings));
        double half = ceilingTicks / 2;
        return TimeSpan.FromTicks((long)(half + (half * Math.Clamp(unitRandom, 0, 1))));
    }
}
