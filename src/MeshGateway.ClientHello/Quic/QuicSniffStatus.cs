namespace MeshGateway.ClientHello;

/// <summary>The outcome of looking at the datagrams a QUIC client sent first (see <see cref="QuicInitialParser"/>).</summary>
/// <remarks>
/// "Need more" and "invalid" are never mixed: only <see cref="NeedMoreData"/> means "wait for another datagram"; every
/// other value except <see cref="Done"/> is final for the sniff.
/// </remarks>
public enum QuicSniffStatus
{
    /// <summary>The ClientHello was reassembled from the Initial packets' CRYPTO frames and parsed.</summary>
    Done = 0,

    /// <summary>Every datagram so far is valid, but the ClientHello is not complete: feed the next datagram.</summary>
    NeedMoreData = 1,

    /// <summary>The first datagram is not a QUIC long-header packet (empty, or the header form bit is 0).</summary>
    NotQuic = 2,

    /// <summary>A QUIC long header with a version other than 1 and 2 (0 is version negotiation); see <see cref="QuicInitialParserState.Version"/>.</summary>
    UnsupportedVersion = 3,

    /// <summary>A packet, frame or the ClientHello itself breaks a rule; see <see cref="QuicInitialParserState.MalformedReason"/>.</summary>
    Malformed = 4,

    /// <summary>A configured limit was reached; see <see cref="QuicInitialParserState.ExceededLimit"/>.</summary>
    TooLarge = 5,
}
