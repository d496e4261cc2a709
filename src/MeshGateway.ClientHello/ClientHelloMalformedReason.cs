namespace MeshGateway.ClientHello;

/// <summary>Why a ClientHello was reported <see cref="ClientHelloStatus.Malformed"/>: one value per check.</summary>
/// <remarks>The kebab-case form of each name is what <c>meshgw sniff</c> prints as <c>reason</c>.</remarks>
public enum ClientHelloMalformedReason
{
    /// <summary>Not malformed.</summary>
    None = 0,

    // ---- Record layer (RFC 8446 §5.1) ----

    /// <summary>A handshake record with length 0 (RFC 8446 §5.1: zero-length fragments MUST NOT be sent).</summary>
    EmptyRecord,

    /// <summary>A record longer than the 2^14-byte plaintext limit (RFC 8446 §5.1 record_overflow); strict profile only.</summary>
    RecordOverflow,

    /// <summary>A record of another content type (CCS, alert, application data) before the ClientHello ended.</summary>
    InterleavedRecord,

    /// <summary>A later ClientHello record whose legacy_record_version major byte is not 3.</summary>
    InvalidRecordVersion,

    /// <summary>Record version 0x0300 carrying a ClientHello newer than SSL 3.0 (GnuTLS style); strict profile only.</summary>
    Ssl3RecordVersion,

    // ---- Handshake message (RFC 8446 §4) ----

    /// <summary>The handshake length is too small to hold legacy_version, random and the session id length.</summary>
    ClientHelloTooShort,

    /// <summary>Bytes of a further handshake message follow the ClientHello in its last record; strict profile only.</summary>
    TrailingHandshakeData,

    // ---- ClientHello body (RFC 8446 §4.1.2) ----

    /// <summary>legacy_session_id is longer than 32 bytes.</summary>
    SessionIdTooLong,

    /// <summary>legacy_session_id runs past the end of the message.</summary>
    SessionIdOverrun,

    /// <summary>The message ends inside the cipher_suites length.</summary>
    TruncatedCipherSuitesLength,

    /// <summary>cipher_suites runs past the end of the message.</summary>
    CipherSuitesOverrun,

    /// <summary>cipher_suites is empty (the vector is <c>&lt;2..2^16-2&gt;</c>).</summary>
    CipherSuitesEmpty,

    /// <summary>cipher_suites has an odd length.</summary>
    CipherSuitesOddLength,

    /// <summary>The message ends before the legacy_compression_methods length.</summary>
    TruncatedCompressionMethodsLength,

    /// <summary>legacy_compression_methods runs past the end of the message.</summary>
    CompressionMethodsOverrun,

    /// <summary>legacy_compression_methods is empty (the vector is <c>&lt;1..2^8-1&gt;</c>).</summary>
    CompressionMethodsEmpty,

    /// <summary>Exactly one byte follows the compression methods: half an extensions length.</summary>
    TruncatedExtensionsLength,

    /// <summary>The extensions length does not equal the bytes that remain in the message.</summary>
    ExtensionsLengthMismatch,

    /// <summary>1–3 stray bytes after the last complete extension; strict profile only.</summary>
    TrailingExtensionBytes,

    /// <summary>An extension's declared data length runs past the extensions block.</summary>
    ExtensionOverrun,

    /// <summary>Two extensions of the same type (RFC 8446 §4.2); strict profile only.</summary>
    DuplicateExtension,

    /// <summary>pre_shared_key is not the last extension (RFC 8446 §4.2.11); strict profile only.</summary>
    PreSharedKeyNotLast,

    // ---- server_name (RFC 6066 §3) ----

    /// <summary>The server_name extension is too short for its list length.</summary>
    ServerNameTruncated,

    /// <summary>server_name_list length is not the extension length minus 2.</summary>
    ServerNameListLengthMismatch,

    /// <summary>server_name_list is empty (the vector is <c>&lt;1..2^16-1&gt;</c>).</summary>
    ServerNameListEmpty,

    /// <summary>A ServerName entry runs past the end of the list.</summary>
    ServerNameEntryOverrun,

    /// <summary>A host_name of length 0.</summary>
    HostNameEmpty,

    /// <summary>A host_name longer than 255 bytes.</summary>
    HostNameTooLong,

    /// <summary>A host_name containing a NUL byte.</summary>
    HostNameContainsNul,

    /// <summary>More than one host_name in the list (RFC 6066 §3); strict profile only.</summary>
    MultipleHostNames,

    /// <summary>A name_type other than host_name(0), whose encoding is undefined; strict profile only.</summary>
    UnknownServerNameType,

    /// <summary>
    /// A host_name ending in one dot (RFC 6066 §3 forbids it, browsers send it for a fully qualified URL); only when
    /// <see cref="ClientHelloParserOptions.AcceptTrailingDot"/> is false, strict profile only.
    /// </summary>
    HostNameTrailingDot,

    // ---- ALPN (RFC 7301 §3.1) ----

    /// <summary>The ALPN extension is too short for its list length, or the list length does not match.</summary>
    AlpnListLengthMismatch,

    /// <summary>protocol_name_list shorter than 2 bytes (the vector is <c>&lt;2..2^16-1&gt;</c>).</summary>
    AlpnListTooShort,

    /// <summary>An empty ProtocolName (RFC 7301: MUST NOT be included).</summary>
    AlpnProtocolEmpty,

    /// <summary>A ProtocolName runs past the end of the list.</summary>
    AlpnProtocolOverrun,

    // ---- Other extensions parsed for fields and fingerprints ----

    /// <summary>supported_versions (43) is not a 1-byte-length list of 2..254 bytes of even length.</summary>
    SupportedVersionsMalformed,

    /// <summary>supported_groups (10) is not a 2-byte-length non-empty list of even length.</summary>
    SupportedGroupsMalformed,

    /// <summary>signature_algorithms (13) is not a 2-byte-length non-empty list of even length.</summary>
    SignatureAlgorithmsMalformed,

    /// <summary>key_share (51) entries do not exactly fill the client_shares vector.</summary>
    KeyShareMalformed,

    /// <summary>ec_point_formats (11) is not a 1-byte-length non-empty list.</summary>
    EcPointFormatsMalformed,

    /// <summary>encrypted_client_hello (0xFE0D) has an empty body.</summary>
    EchMalformed,

    /// <summary>An inner ECH extension or ech_outer_extensions (0xFD00) in a wire ClientHello; strict profile only.</summary>
    MisplacedEchExtension,

    // ---- SSL 2.0-compatible hello ----

    /// <summary>An SSLv2-compatible hello whose cipher_spec, session_id and challenge lengths do not fill the record.</summary>
    LegacyV2LengthMismatch,

    /// <summary>An SSLv2-compatible hello whose cipher_spec length is 0 or not a multiple of 3.</summary>
    LegacyV2CipherSpecLengthInvalid,

    /// <summary>An SSLv2-compatible hello whose challenge is not 16..32 bytes.</summary>
    LegacyV2ChallengeLengthInvalid,

    // ---- host_name bytes (RFC 6066 §3), appended so the values above keep their numbers ----

    /// <summary>
    /// A host_name byte outside printable ASCII (RFC 5234 VCHAR, 0x21–0x7E): a control byte such as LF, CR or ESC,
    /// a space, DEL or a byte above 0x7F. RFC 6066 §3 says "ASCII"; such bytes could forge a log line or a field.
    /// Strict profile only (NUL is <see cref="HostNameContainsNul"/> under both).
    /// </summary>
    HostNameNotPrintableAscii,

    /// <summary>
    /// A host_name with an empty label: a leading dot, two dots in a row, two trailing dots, or only a dot
    /// (RFC 1035 §3.1: only the root label is empty); strict profile only.
    /// </summary>
    HostNameEmptyLabel,
}
