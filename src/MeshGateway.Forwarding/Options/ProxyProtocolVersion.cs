namespace MeshGateway.Forwarding;

/// <summary>Which PROXY protocol header a cluster sends upstream.</summary>
public enum ProxyProtocolVersion
{
    /// <summary>No header: the upstream sees exactly the client's bytes.</summary>
    None = 0,

    /// <summary>Version 1, text (<see cref="ProxyProtocolV1Writer"/>).</summary>
    V1 = 1,

    /// <summary>Version 2, binary, with the SNI as an authority TLV (<see cref="ProxyProtocolV2Writer"/>).</summary>
    V2 = 2,
}
