namespace MeshGateway.ClientHello;

/// <summary>Wire constants of QUIC versions 1 (RFC 9000, RFC 9001) and 2 (RFC 9369) that a ClientHello sniffer needs.</summary>
internal static class QuicWire
{
    /// <summary>QUIC version 1 (RFC 9000 §15).</summary>
    public const uint Version1 = 0x00000001;

    /// <summary>QUIC version 2 (RFC 9369 §3.1).</summary>
    public const uint Version2 = 0x6b3343cf;

    /// <summary>Header Form bit: 1 for a long header (RFC 9000 §17.2).</summary>
    public const byte LongHeaderForm = 0x80;

    /// <summary>The Long Packet Type bits of an Initial packet: 0b00 in version 1 (RFC 9000 §17.2), 0b01 in version 2 (RFC 9369 §3.2).</summary>
    public static int InitialPacketType(uint version) => version == Version2 ? 1 : 0;

    /// <summary>The longest connection ID versions 1 and 2 allow (RFC 9000 §17.2).</summary>
    public const int MaxConnectionIdLength = 20;

    /// <summary>The smallest UDP payload that may carry a client Initial (RFC 9000 §14.1).</summary>
    public const int MinInitialDatagramSize = 1200;

    /// <summary>Header protection samples 16 bytes, 4 bytes after the start of the Packet Number field (RFC 9001 §5.4.2).</summary>
    public const int SampleLength = 16;

    /// <summary>AEAD_AES_128_GCM's tag (RFC 9001 §5.3).</summary>
    public const int TagLength = 16;

    /// <summary>AEAD_AES_128_GCM's key and header protection key.</summary>
    public const int KeyLength = 16;

    /// <summary>The AEAD nonce and IV (RFC 9001 §5.3).</summary>
    public const int IvLength = 12;

    /// <summary>The largest value a variable-length integer holds: 2^62 - 1 (RFC 9000 §16).</summary>
    public const long MaxVarint = (1L << 62) - 1;

    // Frame types allowed in Initial packets (RFC 9000 §12.4, Table 3).
    public const byte FramePadding = 0x00;
    public const byte FramePing = 0x01;
    public const byte FrameAck = 0x02;
    public const byte FrameAckEcn = 0x03;
    public const byte FrameCrypto = 0x06;
    public const byte FrameConnectionClose = 0x1c;

    /// <summary>initial_salt for version 1 (RFC 9001 §5.2).</summary>
    public static ReadOnlySpan<byte> Version1Salt =>
        [0x38, 0x76, 0x2c, 0xf7, 0xf5, 0x59, 0x34, 0xb3, 0x4d, 0x17, 0x9a, 0xe6, 0xa4, 0xc8, 0x0c, 0xad, 0xcc, 0xbb, 0x7f, 0x0a];

    /// <summary>initial_salt for version 2 (RFC 9369 §3.3.1).</summary>
    public static ReadOnlySpan<byte> Version2Salt =>
        [0x0d, 0xed, 0xe3, 0xde, 0xf7, 0x00, 0xa6, 0xdb, 0x81, 0x93, 0x81, 0xbe, 0x6e, 0x26, 0x9d, 0xcb, 0xf9, 0xbd, 0x2e, 0xd9];
}
