namespace MeshGateway.ClientHello;

/// <summary>
/// What one pass over a ClientHello found, as offsets into the handshake message body (the bytes after the 4-byte
/// handshake header). Plain data, so it can be kept between calls where the bytes themselves cannot.
/// </summary>
internal struct ClientHelloLayout
{
    public int Length;
    public int RecordCount;
    public ushort RecordVersion;
    public ushort LegacyVersion;
    public bool IsLegacyV2Hello;
    public int SessionIdLength;
    public Segment CipherSuites;
    public Segment CompressionMethods;
    public Segment Extensions;
    public bool HasServerNameExtension;
    public Segment ServerName;
    public Segment HostName;
    public Segment Alpn;
    public Segment SupportedVersions;
    public Segment SupportedGroups;
    public Segment SignatureAlgorithms;
    public Segment KeyShares;
    public Segment EcPointFormats;
    public ClientHelloEchKind Ech;
    public bool HasPreSharedKey;
    public ClientHelloTolerances Tolerances;

    /// <summary>Every field absent: the default value (see <see cref="Segment"/>).</summary>
    public static ClientHelloLayout Empty => default;
}
