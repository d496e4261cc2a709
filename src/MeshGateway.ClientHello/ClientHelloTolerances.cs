namespace MeshGateway.ClientHello;

/// <summary>
/// Deviations from the RFCs that the <see cref="ClientHelloProfile.Lenient"/> profile accepted. Under
/// <see cref="ClientHelloProfile.Strict"/> each of them is <see cref="ClientHelloStatus.Malformed"/> instead.
/// </summary>
[Flags]
public enum ClientHelloTolerances
{
    /// <summary>Nothing was tolerated.</summary>
    None = 0,

    /// <summary>Bytes of another handshake message followed the ClientHello in its last record.</summary>
    TrailingHandshakeData = 1 << 0,

    /// <summary>1–3 stray bytes followed the last complete extension.</summary>
    TrailingExtensionBytes = 1 << 1,

    /// <summary>A record carried legacy_record_version 0x0300 with a newer ClientHello.</summary>
    Ssl3RecordVersion = 1 << 2,

    /// <summary>A record was longer than 2^14 bytes (up to 2^14 + 2048).</summary>
    RecordOverflow = 1 << 4,

    /// <summary>An extension type appeared twice; the first occurrence was used.</summary>
    DuplicateExtension = 1 << 5,

    /// <summary>pre_shared_key was not the last extension.</summary>
    PreSharedKeyNotLast = 1 << 6,

    /// <summary>The server_name list held more than one host_name; the first was used.</summary>
    MultipleHostNames = 1 << 7,

    /// <summary>The server_name list held an unknown name_type; parsing of the list stopped there.</summary>
    UnknownServerNameType = 1 << 8,

    /// <summary>The host_name ended with one dot while <see cref="ClientHelloParserOptions.AcceptTrailingDot"/> was false.</summary>
    HostNameTrailingDot = 1 << 9,

    /// <summary>An inner ECH extension or ech_outer_extensions appeared in the wire ClientHello.</summary>
    MisplacedEchExtension = 1 << 10,

    /// <summary>
    /// The host_name held bytes outside printable ASCII (0x21–0x7E) other than NUL: control bytes, space, DEL or
    /// bytes above 0x7F. <see cref="ClientHelloInfo.ServerName"/> holds them as sent; escape them before logging.
    /// </summary>
    HostNameNotPrintableAscii = 1 << 11,

    /// <summary>The host_name had an empty label (leading dot, two dots in a row, two trailing dots).</summary>
    HostNameEmptyLabel = 1 << 12,
}
