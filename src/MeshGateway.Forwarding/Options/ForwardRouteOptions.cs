using System.ComponentModel.DataAnnotations;

namespace MeshGateway.Forwarding;

/// <summary>One SNI route of the built-in resolver.</summary>
public sealed class ForwardRouteOptions
{
    /// <summary>
    /// The server name to match: an exact name (<c>web.default.dc1.internal.td</c>), a suffix wildcard
    /// (<c>*.dc2.internal.td</c>, one or more labels, as Envoy's server names) or <c>*</c> for every SNI.
    /// </summary>
    [Required]
    public string Sni { get; set; } = string.Empty;

    /// <summary>The cluster the route sends to; must be a key of <see cref="ForwarderOptions.Clusters"/>.</summary>
    [Required]
    public string Cluster { get; set; } = string.Empty;
}
