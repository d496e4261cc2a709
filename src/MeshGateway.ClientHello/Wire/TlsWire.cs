namespace MeshGateway.ClientHello;

/// <summary>Wire constants of the TLS record and handshake layers (RFC 8446 §5.1, §4, §4.2; RFC 5246 §6.2).</summary>
internal static class TlsWire
{
    /// <summary>ContentType.handshake (22).</summary>
    public const byte ContentTypeHandshake = 22;

    /// <summary>HandshakeType.client_hello (1).</summary>
    public const byte HandshakeTypeClientHello = 1;

    /// <summary>TLSPlaintext header: type(1) + legacy_record_version(2) + length(2).</summary>
    public const int RecordHeaderLength = 5;

    /// <summary>Handshake header: msg_type(1) + length(uint24).</summary>
    public const int HandshakeHeaderLength = 4;

    /// <summary>The TLSPlaintext.length limit, 2^14 (RFC 8446 §5.1).</summary>
    public const int MaxPlaintextRecordLength = 16384;

    /// <summary>The TLS 1.2 ciphertext limit, 2^14 + 2048, tolerated by the lenient profile (RFC 5246 §6.2.3).</summary>
    public const int MaxLenientRecordLength = 16384 + 2048;

    /// <summary>legacy_version(2) + random(32) + legacy_session_id length(1): the shortest prefix we can walk.</summary>
    public const int MinClientHelloLength = 2 + 32 + 1;

    /// <summary>The random field of a ClientHello.</summary>
    public const int RandomLength = 32;

    /// <summary>legacy_session_id is <c>&lt;0..32&gt;</c>.</summary>
    public const int MaxSessionIdLength = 32;

    /// <summary>HostName limit: 255 octets (BoringSSL; dotnet/runtime #133361).</summary>
    public const int MaxHostNameLength = 255;

    // ExtensionType values (IANA TLS ExtensionType registry).
    public const ushort ExtServerName = 0;
    public const ushort ExtSupportedGroups = 10;
    public const ushort ExtEcPointFormats = 11;
    public const ushort ExtSignatureAlgorithms = 13;
    public const ushort ExtAlpn = 16;
    public const ushort ExtPreSharedKey = 41;
    public const ushort ExtSupportedVersions = 43;
    public const ushort ExtKeyShare = 51;
    public const ushort ExtEchOuterExtensions = 0xFD00;
    public const ushort ExtEncryptedClientHello = 0xFE0D;

    /// <summary>ServerName.name_type host_name (RFC 6066 §3).</summary>
    public const byte NameTypeHostName = 0;

    /// <summary>RFC 8701 GREASE: 0x?A?A with both bytes equal.</summary>
    public static bool IsGrease(ushort value) => (value & 0x0F0F) == 0x0A0A && (value >> 8) == (value & 0xFF);
}
