namespace MeshGateway.ClientHello;

/// <summary>Which limit of <see cref="QuicInitialParserOptions"/> ended a sniff with <see cref="QuicSniffStatus.TooLarge"/>.</summary>
public enum QuicSniffLimit
{
    /// <summary>No limit was reached.</summary>
    None = 0,

    /// <summary><see cref="QuicInitialParserOptions.MaxDatagrams"/> datagrams were read without completing the ClientHello.</summary>
    Datagrams,

    /// <summary>A datagram held more than <see cref="QuicInitialParserOptions.MaxPacketsPerDatagram"/> coalesced packets.</summary>
    PacketsPerDatagram,

    /// <summary>CRYPTO data beyond the ClientHello cap (the handshake message limit plus its 4-byte header, or the caller's buffer).</summary>
    CryptoBytes,

    /// <summary>The received CRYPTO data had more than <see cref="QuicInitialParserOptions.MaxCryptoGaps"/> holes.</summary>
    CryptoGaps,

    /// <summary><see cref="QuicInitialParserOptions.MaxAeadAttempts"/> Initial packets were decrypted without completing the ClientHello.</summary>
    AeadAttempts,
}
