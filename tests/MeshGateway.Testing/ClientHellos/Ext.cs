using System.Text;

namespace MeshGateway.Testing.ClientHellos;

/// <summary>Extension bodies written field by field, each with its RFC struct.</summary>
public static class Ext
{
    /// <summary>server_name (0): ServerNameList { ServerName { name_type host_name(0), HostName } } (RFC 6066 §3).</summary>
    public static ExtensionModel ServerName(string host) => ServerName(Encoding.UTF8.GetBytes(host));

    public static ExtensionModel ServerName(byte[] host) =>
        new(0, Wire.U16Vector(Wire.Concat([0x00], Wire.U16Vector(host))));

    /// <summary>server_name with several raw entries: (name_type, name) each.</summary>
    public static ExtensionModel ServerNameEntries(params (byte Type, byte[] Name)[] entries) =>
        new(0, Wire.U16Vector(Wire.Concat(entries.Select(e => Wire.Concat([e.Type], Wire.U16Vector(e.Name))).ToArray())));

    /// <summary>ALPN (16): ProtocolNameList { ProtocolName&lt;1..2^8-1&gt; } (RFC 7301 §3.1).</summary>
    public static ExtensionModel Alpn(params string[] protocols) =>
        AlpnRaw(protocols.Select(Encoding.ASCII.GetBytes).ToArray());

    public static ExtensionModel AlpnRaw(params byte[][] protocols) =>
        new(16, Wire.U16Vector(Wire.Concat(protocols.Select(Wire.U8Vector).ToArray())));

    /// <summary>supported_versions (43): ProtocolVersion versions&lt;2..254&gt; (RFC 8446 §4.2.1).</summary>
    public static ExtensionModel SupportedVersions(params ushort[] versions) => new(43, Wire.U8Vector(Wire.U16s(versions)));

    /// <summary>supported_groups (10): NamedGroup named_group_list&lt;2..2^16-1&gt;.</summary>
    public static ExtensionModel SupportedGroups(params ushort[] groups) => new(10, Wire.U16Vector(Wire.U16s(groups)));

    /// <summary>signature_algorithms (13): SignatureScheme supported_signature_algorithms&lt;2..2^16-2&gt;.</summary>
    public static ExtensionModel SignatureAlgorithms(params ushort[] schemes) => new(13, Wire.U16Vector(Wire.U16s(schemes)));

    /// <summary>ec_point_formats (11): ECPointFormat ec_point_format_list&lt;1..2^8-1&gt;.</summary>
    public static ExtensionModel EcPointFormats(params byte[] formats) => new(11, Wire.U8Vector(formats));

    /// <summary>key_share (51): KeyShareEntry client_shares&lt;0..2^16-1&gt;, each { group, key_exchange&lt;1..2^16-1&gt; }.</summary>
    public static ExtensionModel KeyShare(params (ushort Group, int KeyLength)[] shares) =>
        new(51, Wire.U16Vector(Wire.Concat(shares.Select(s => Wire.Concat(Wire.U16(s.Group), Wire.U16Vector(new byte[s.KeyLength]))).ToArray())));

    /// <summary>encrypted_client_hello (0xFE0D), outer: type 0, kdf, aead, config_id, enc, payload (RFC 9849 §5).</summary>
    public static ExtensionModel EchOuter(int encLength = 32, int payloadLength = 200) =>
        new(0xFE0D, Wire.Concat([0x00], Wire.U16(0x0001), Wire.U16(0x0001), [0x42], Wire.U16Vector(new byte[encLength]), Wire.U16Vector(new byte[payloadLength])));

    /// <summary>encrypted_client_hello, inner: type 1, empty.</summary>
    public static ExtensionModel EchInner() => new(0xFE0D, [0x01]);

    /// <summary>pre_shared_key (41): identities and binders; the parser only notes its presence and position.</summary>
    public static ExtensionModel PreSharedKey() =>
        new(41, Wire.Concat(Wire.U16Vector(Wire.Concat(Wire.U16Vector([1, 2, 3, 4]), [0, 0, 0, 1])), Wire.U16Vector(Wire.U8Vector(new byte[32]))));

    /// <summary>padding (21): zeros (RFC 7685).</summary>
    public static ExtensionModel Padding(int length) => new(21, new byte[length]);

    public static ExtensionModel Raw(ushort type, params byte[] data) => new(type, data);
}
