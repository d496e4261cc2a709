namespace MeshGateway.ClientHello;

/// <summary>Which encrypted_client_hello extension (RFC 9849, type 0xFE0D) a ClientHello carried.</summary>
public enum ClientHelloEchKind
{
    /// <summary>No ECH extension.</summary>
    None = 0,

    /// <summary>An outer ECH extension (real or GREASE, indistinguishable on the wire); the SNI is the public name.</summary>
    Outer = 1,

    /// <summary>An inner ECH extension, which belongs only inside the encrypted inner hello.</summary>
    Inner = 2,
}
