namespace MeshGateway.Forwarding;

internal static class SelectorHelpers
{
    public static bool Contains(ReadOnlySpan<UpstreamEndpoint> set, UpstreamEndpoint candidate)
    {
        foreach (UpstreamEndpoint item in set)
        {
            if (ReferenceEquals(item, candidate))
            {
                return true;
            }
        }

        return false;
    }
}
