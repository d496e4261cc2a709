namespace MeshGateway.Forwarding;

/// <summary>What an inspection decided about the bytes buffered so far. "Need more" is never mixed with "invalid".</summary>
public enum InspectionStatus
{
    /// <summary>The ClientHello is complete; <see cref="ForwardingContext.ClientHello"/> is set.</summary>
    Complete = 0,

    /// <summary>The bytes so far are a valid prefix; read more and call again with everything buffered.</summary>
    NeedMoreData = 1,

    /// <summary>The bytes are not a TLS handshake record (plain TCP, HTTP, SSH...).</summary>
    NotTls = 2,

    /// <summary>The bytes are TLS but not a well-formed ClientHello.</summary>
    Malformed = 3,

    /// <summary>The ClientHello declares more bytes than the inspector accepts.</summary>
    TooLarge = 4,
}
