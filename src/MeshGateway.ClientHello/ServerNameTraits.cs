namespace MeshGateway.ClientHello;

/// <summary>Observations about the host_name a ClientHello carried (RFC 6066 §3). None of them is an error by itself.</summary>
[Flags]
public enum ServerNameTraits
{
    /// <summary>A plain ASCII DNS name.</summary>
    None = 0,

    /// <summary>
    /// The name ends with one dot (Chromium and Firefox send this for <c>https://host./</c>). It names the same host
    /// as the name without the dot (RFC 1034 §3.1); <see cref="ClientHelloInfo.ServerName"/> keeps the dot as sent.
    /// </summary>
    TrailingDot = 1 << 0,

    /// <summary>The name is an IPv4 or IPv6 literal, which RFC 6066 forbids. The strict profile reports no SNI.</summary>
    IpLiteral = 1 << 1,

    /// <summary>The name holds bytes above 0x7F (raw UTF-8 instead of an A-label).</summary>
    NonAscii = 1 << 2,

    /// <summary>The name is not valid DNS syntax: empty or over-long labels, a leading dot, or characters outside letters, digits, '-' and '_'.</summary>
    InvalidDnsSyntax = 1 << 3,

    /// <summary>
    /// The name holds an ASCII control byte (0x01–0x1F, such as LF, CR or ESC), DEL (0x7F) or a space: bytes that could
    /// end a log line or start a new field. Only the lenient profile lets such a name through.
    /// </summary>
    ControlCharacter = 1 << 4,
}
