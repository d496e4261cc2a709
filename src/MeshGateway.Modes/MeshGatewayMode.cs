namespace MeshGateway.Modes;

/// <summary>
/// How a Connect proxy reaches an upstream in another datacenter, partition or peer: Consul's
/// <c>MeshGatewayMode</c> (<c>agent/structs/connect_proxy_config.go</c>). The names are Consul's strings:
/// <c>""</c>, <c>none</c>, <c>local</c>, <c>remote</c>; see <see cref="MeshGatewayModeParser"/>.
/// </summary>
public enum MeshGatewayMode
{
    /// <summary>
    /// <c>""</c>: not set at this layer; another layer decides. When no layer sets a mode the proxy dials
    /// directly (except for peered targets, which go through the remote gateway).
    /// </summary>
    Default = 0,

    /// <summary><c>none</c>: dial the target's instances directly, no gateway. A real value that stops inheritance.</summary>
    None,

    /// <summary><c>local</c>: dial a mesh gateway in the local datacenter/partition, which forwards to the target's.</summary>
    Local,

    /// <summary><c>remote</c>: dial a mesh gateway in the target's datacenter/partition (or the peer's).</summary>
    Remote,
}
