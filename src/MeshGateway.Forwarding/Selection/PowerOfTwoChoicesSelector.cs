namespace MeshGateway.Forwarding;

/// <summary>
/// Picks two endpoints at random and keeps the one with fewer active connections (Mitzenmacher's "power of two
/// choices", YARP's default). Excluded endpoints are never picked.
/// </summary>
public sealed class PowerOfTwoChoicesSelector : IUpstreamSelector, INonBlockingStage
{
    private readonly Random _random;

    /// <summary>Creates a selector using <see cref="Random.Shared"/>.</summary>
    public PowerOfTwoChoicesSelector()
        : this(Random.Shared)
    {
    }

    /// <summary>Creates a selector drawing from <paramref name="random"/> (tests pass a seeded one).</summary>
    public PowerOfTwoChoicesSelector(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        _random = random;
    }

    /// <inheritdoc/>
    public UpstreamEndpoint? Pick(ForwardingContext context, IReadOnlyList<UpstreamEndpoint> endpoints, ReadOnlySpan<UpstreamEndpoint> exclude)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        int available = 0;
        for (int k = 0; k < endpoints.Count; k++)
        {
            if (!SelectorHelpers.Contains(exclude, endpoints[k]))
            {
                available++;
            }
        }

        if (available == 0)
        {
            return null;
        }

        int i = NextIndex(available);
        UpstreamEndpoint first = NthAvailable(endpoints, exclude, i);
        if (available == 1)
        {
            return first;
        }

        // A second, different draw: pick among the other (available - 1) positions.
        int j = NextIndex(available - 1);
        if (j >= i)
        {
            j++;
        }

        UpstreamEndpoint second = NthAvailable(endpoints, exclude, j);
        return second.ActiveConnections < first.ActiveConnections ? second : first;
    }

    // Load balancing needs spread, not unpredictability: a non-cryptographic generator is right here.
#pragma warning disable CA5394
    private int NextIndex(int exclusiveMax) => _random.Next(exclusiveMax);
#pragma warning restore CA5394

    private static UpstreamEndpoint NthAvailable(IReadOnlyList<UpstreamEndpoint> endpoints, ReadOnlySpan<UpstreamEndpoint> exclude, int n)
    {
        for (int i = 0; i < endpoints.Count; i++)
        {
            if (!SelectorHelpers.Contains(exclude, endpoints[i]) && n-- == 0)
            {
                return endpoints[i];
            }
        }

        throw new InvalidOperationException("Endpoint list changed during selection.");
    }
}
