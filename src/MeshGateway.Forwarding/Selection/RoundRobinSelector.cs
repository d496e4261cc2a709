namespace MeshGateway.Forwarding;

/// <summary>Picks endpoints in turn, skipping excluded ones. One instance per cluster keeps that cluster's position.</summary>
public sealed class RoundRobinSelector : IUpstreamSelector, INonBlockingStage
{
    private int _next = -1;

    /// <inheritdoc/>
    public UpstreamEndpoint? Pick(ForwardingContext context, IReadOnlyList<UpstreamEndpoint> endpoints, ReadOnlySpan<UpstreamEndpoint> exclude)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        int count = endpoints.Count;
        if (count == 0)
        {
            return null;
        }

        int start = (int)((uint)Interlocked.Increment(ref _next) % (uint)count);
        for (int i = 0; i < count; i++)
        {
            UpstreamEndpoint candidate = endpoints[(start + i) % count];
            if (!SelectorHelpers.Contains(exclude, candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
