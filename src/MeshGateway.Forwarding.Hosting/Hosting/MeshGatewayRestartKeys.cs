namespace MeshGateway.Forwarding.Hosting;

/// <summary>
/// What a running gateway cannot change in place: what it is (<c>Mode</c>), its identity (<c>Datacenter</c>,
/// <c>Partition</c>, <c>TrustDomain</c>, which every listener's routes and descriptions name), the sockets it listens
/// on (<c>Listeners</c>, each upstream's <c>Name</c> and <c>Listen</c>) and the ClientHello parser it built
/// (<c>Limits:MaxClientHelloBytes</c>).
/// </summary>
internal static class MeshGatewayRestartKeys
{
    /// <summary>The first key that differs between <paramref name="running"/> and <paramref name="edited"/> and needs a restart, or null.</summary>
    public static string[]? FirstDifference(MeshGatewayOptions running, MeshGatewayOptions edited)
    {
        if (running.Mode != edited.Mode)
        {
            return [nameof(MeshGatewayOptions.Mode)];
        }

        if (!Same(running.Datacenter, edited.Datacenter))
        {
            return [nameof(MeshGatewayOptions.Datacenter)];
        }

        if (!Same(running.Partition, edited.Partition))
        {
            return [nameof(MeshGatewayOptions.Partition)];
        }

        if (!Same(running.TrustDomain, edited.TrustDomain))
        {
            return [nameof(MeshGatewayOptions.TrustDomain)];
        }

        if (running.Mode == MeshGatewayRole.MeshGateway && !running.Listeners.SequenceEqual(edited.Listeners, StringComparer.Ordinal))
        {
            return [nameof(MeshGatewayOptions.Listeners)];
        }

        if (running.Mode == MeshGatewayRole.UpstreamListener)
        {
            if (running.Upstreams.Count != edited.Upstreams.Count)
            {
                return [nameof(MeshGatewayOptions.Upstreams)];
            }

            for (int i = 0; i < running.Upstreams.Count; i++)
            {
                string index = i.ToString(System.Globalization.CultureInfo.InvariantCulture);
                if (!Same(running.Upstreams[i].Name, edited.Upstreams[i].Name))
                {
                    return [nameof(MeshGatewayOptions.Upstreams), index, nameof(UpstreamListenerOptions.Name)];
                }

                if (!Same(running.Upstreams[i].Listen, edited.Upstreams[i].Listen))
                {
                    return [nameof(MeshGatewayOptions.Upstreams), index, nameof(UpstreamListenerOptions.Listen)];
                }
            }
        }

        return running.Limits.MaxClientHelloBytes != edited.Limits.MaxClientHelloBytes
            ? [nameof(MeshGatewayOptions.Limits), nameof(MeshGatewayLimitOptions.MaxClientHelloBytes)]
            : null;
    }

    private static bool Same(string? a, string? b) => string.Equals(a ?? string.Empty, b ?? string.Empty, StringComparison.Ordinal);
}
