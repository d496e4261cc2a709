namespace MeshGateway.ClientHello;

/// <summary>The outcome of looking at the first bytes a client sent.</summary>
/// <remarks>
/// "Need more" and "invalid" are never mixed: only <see cref="NeedMoreData"/> means "wait for the client"; every
/// other value except <see cref="Done"/> is final for the connection.
/// </remarks>
public enum ClientHelloStatus
{
    /// <summary>A complete ClientHello was parsed; its fields are available.</summary>
    Done = 0,

    /// <summary>The bytes so far are a valid prefix of a ClientHello; more are needed (see <c>BytesNeeded</c>).</summary>
    NeedMoreData = 1,

    /// <summary>The bytes are not TLS (plaintext HTTP, SSH, zeros, ...). Decided on the first byte(s).</summary>
    NotTls = 2,

    /// <summary>A TLS handshake record whose first handshake message is not a ClientHello (e.g. a ServerHello).</summary>
    NotClientHello = 3,

    /// <summary>A TLS ClientHello that breaks a rule of the active profile; see the malformed reason.</summary>
    Malformed = 4,

    /// <summary>A record or handshake length above the configured limit (default 16 KiB, hard cap 64 KiB).</summary>
    TooLarge = 5,
}
