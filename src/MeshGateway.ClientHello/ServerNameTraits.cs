namespace MeshGateway.ClientHello;

/// <summary>Observations about the host_name a ClientHello carried (RFC 6066 §3). None of them is an error by itself.</summary>
[Flags]
public enum ServerNameTraits
{
    /// <summary>A plain ASCII DNS name.</summary>
    None = 0,

    /// <summary>The name ends with one dot (browsers send this for <c>https://host./</c>).</summary>
    TrailingDot = 1 << 0,

    /// <summary>The name is an IPv4 or IPv6 literal, which RFC 6066 forbids. The strict profile reports no SNI.</summary>
    IpLiteral = 1 << 1,

    /// <summary>The name holds bytes above 0x7F (raw UTF-8 instead of an A-label).</summary>
    NonAscii = 1 << 2,

    /// <summary>The name is not valid DNS syntax: empty or over-long labels, a leading dot, or characters outside letters, digits, '-' and '_'.</summary>
    InvalidDnsSyntax = 1 << 3,
}
