namespace MeshGateway.ClientHello;

/// <summary>Why QUIC Initial input was reported <see cref="QuicSniffStatus.Malformed"/>: one value per check.</summary>
/// <remarks>The kebab-case form of each name is what <c>meshgw sniff --quic</c> prints as <c>reason</c>.</remarks>
public enum QuicMalformedReason
{
    /// <summary>Not malformed.</summary>
    None = 0,

    // ---- Long header (RFC 9000 §17.2, §17.2.2) ----

    /// <summary>A long header ends before its Version, connection IDs, Token or Length field does.</summary>
    HeaderTruncated,

    /// <summary>A connection ID longer than 20 bytes (RFC 9000 §17.2: versions 1 and 2 allow 0..20).</summary>
    ConnectionIdTooLong,

    /// <summary>The Token Length runs past the end of the datagram.</summary>
    TokenOverrun,

    /// <summary>The Length field runs past the end of the datagram.</summary>
    PacketLengthOverrun,

    /// <summary>The packet is too short to take the 16-byte header protection sample (RFC 9001 §5.4.2), or to hold the AEAD tag.</summary>
    PacketTooShort,

    /// <summary>An Initial packet in a UDP datagram shorter than 1200 bytes (RFC 9000 §14.1: a server MUST discard it).</summary>
    DatagramTooSmall,

    // ---- Packet protection (RFC 9001 §5) ----

    /// <summary>AES-128-GCM rejected the packet: the payload, header or keys do not match its tag.</summary>
    AuthenticationFailed,

    /// <summary>The reserved bits of the first byte are not 0 after removing protection (RFC 9000 §17.2: PROTOCOL_VIOLATION).</summary>
    ReservedBitsSet,

    // ---- Frames (RFC 9000 §12.4, §19) ----

    /// <summary>An Initial packet with no frames (RFC 9000 §12.4: PROTOCOL_VIOLATION).</summary>
    EmptyPayload,

    /// <summary>A frame type that may not appear in an Initial packet (RFC 9000 Table 3: only PADDING, PING, ACK, CRYPTO, CONNECTION_CLOSE 0x1c).</summary>
    FrameNotAllowedInInitial,

    /// <summary>A frame type encoded in more bytes than needed (RFC 9000 §12.4).</summary>
    FrameTypeNotMinimal,

    /// <summary>A frame runs past the end of the packet payload (RFC 9000: FRAME_ENCODING_ERROR).</summary>
    FrameTruncated,

    /// <summary>An ACK frame whose ranges go below packet number 0 (RFC 9000 §19.3.1: FRAME_ENCODING_ERROR).</summary>
    InvalidAckRange,

    /// <summary>A CRYPTO frame whose offset plus length exceeds 2^62 - 1 (RFC 9000 §19.6: FRAME_ENCODING_ERROR).</summary>
    CryptoOffsetOverflow,

    // ---- CRYPTO stream (RFC 9001 §4.1.3) ----

    /// <summary>Two CRYPTO frames carry different bytes for the same offset (retransmissions must agree byte for byte).</summary>
    CryptoDataConflict,

    /// <summary>The CRYPTO stream does not start with a ClientHello handshake message (msg_type 1).</summary>
    NotClientHello,

    /// <summary>The reassembled ClientHello broke a rule; see <see cref="QuicInitialParserState.ClientHelloMalformedReason"/>.</summary>
    ClientHello,
}
