namespace MeshGateway.Consul.Client;

/// <summary>
/// The index rules of Consul's blocking queries (developer.hashicorp.com/consul/api-docs/features/blocking,
/// "Implementation details"): send the last <c>X-Consul-Index</c> as <c>?index=</c>; when the returned index goes
/// backwards (a snapshot restore, a server that lost state), reset it to 0 so the next read is a plain, non-blocking one;
/// an index of 0 is a Consul bug that would make every query return at once, so treat it as 1 (and block).
/// </summary>
internal static class ConsulBlockingIndex
{
    /// <summary>The index to send next after <paramref name="returned"/> answered a query sent with <paramref name="previous"/>.</summary>
    /// <param name="previous">The index the query was sent with (0 for a first, non-blocking read).</param>
    /// <param name="returned">The response's <c>X-Consul-Index</c>, or null when absent.</param>
    public static ulong Next(ulong previous, ulong? returned)
    {
        if (returned is not ulong index)
        {
            return 0;
        }

        if (index < previous)
        {
            return 0;
        }

        return index == 0 ? 1 : index;
    }

    /// <summary>The query string of a blocking read: <c>index=N&amp;wait=Ns</c>, or null for a plain read (index 0).</summary>
    public static string? Query(ulong index, TimeSpan wait) =>
        index == 0 ? null : FormattableString.Invariant($"index={index}&wait={(long)Math.Ceiling(wait.TotalSeconds)}s");

    /// <summary>
    /// How long to wait for an answer: the wait, plus up to wait/16 that Consul adds to spread wake-ups, plus a margin
    /// for the network, so a healthy agent's answer is never cut off.
    /// </summary>
    public static TimeSpan ClientTimeout(TimeSpan wait, TimeSpan margin) => wait + (wait / 16) + margin;
}
