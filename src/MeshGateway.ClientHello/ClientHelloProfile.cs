namespace MeshGateway.ClientHello;

/// <summary>How strictly a ClientHello is checked.</summary>
public enum ClientHelloProfile
{
    /// <summary>
    /// RFC 8446 §4.1.2/§4.2, RFC 6066 §3 and RFC 7301 (what Go and BoringSSL enforce): exact lengths, no duplicate
    /// extensions, pre_shared_key last, exactly one host_name, record length ≤ 2^14. The default.
    /// </summary>
    Strict = 0,

    /// <summary>
    /// Accepts what production peers tolerate (first host_name wins, trailing bytes, 0x0300 record versions, ...)
    /// and reports each tolerance as a <see cref="ClientHelloTolerances"/> flag.
    /// </summary>
    Lenient = 1,
}
