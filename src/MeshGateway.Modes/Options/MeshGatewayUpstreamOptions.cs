namespace MeshGateway.Modes;

/// <summary>One upstream in <see cref="MeshGatewayModeOptions.Upstreams"/>: its own settings and where its target is.</summary>
public sealed class MeshGatewayUpstreamOptions
{
    /// <summary>The upstream definition's own mode (highest precedence).</summary>
    public string? Mode { get; set; }

    /// <summary>The downstream's service-defaults <c>UpstreamConfig.Overrides</c> mode for this upstream.</summary>
    public string? Override { get; set; }

    /// <summary>The target service's own service-defaults mode (lowest precedence).</summary>
    public string? TargetServiceDefaults { get; set; }

    /// <summary>The target's datacenter. Default: the proxy's.</summary>
    public string? Datacenter { get; set; }

    /// <summary>The target's admin partition. Default: the proxy's.</summary>
    public string? Partition { get; set; }

    /// <summary>The cluster peer the target is imported from, if any.</summary>
    public string? Peer { get; set; }

    /// <summary>The target's service-defaults set <c>ExternalSNI</c>: always dialled directly.</summary>
    public bool ExternalSni { get; set; }

    /// <summary>The upstream is a prepared query: never through a gateway.</summary>
    public bool PreparedQuery { get; set; }
}
