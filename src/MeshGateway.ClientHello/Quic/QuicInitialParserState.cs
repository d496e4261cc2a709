using System.Diagnostics.CodeAnalysis;

namespace MeshGateway.ClientHello;

/// <summary>
/// What the QUIC Initial parser remembers between datagrams of one sniff: the connection's Destination Connection ID
/// and version, the Initial keys derived from them, the largest packet number, which CRYPTO ranges have arrived, the
/// counters the limits apply to, and any final outcome. Keep one per sniff and pass it by <see langword="ref"/> to
/// <see cref="QuicInitialParser.Parse"/> with each new datagram; no datagram is looked at twice.
/// </summary>
/// <remarks>The default value is a fresh state with <see cref="QuicInitialParserOptions.Default"/>.</remarks>
public struct QuicInitialParserState
{
    private readonly QuicInitialParserOptions? _options;

    internal Phase CurrentPhase;
    internal QuicSniffStatus FinalStatus;
    internal QuicMalformedReason Reason;
    internal ClientHelloMalformedReason HelloReason;
    internal QuicSniffLimit Limit;
    internal uint QuicVersion;
    internal int DcidLength;
    internal QuicConnectionIdBytes Dcid;
    internal QuicKeyBytes Keys;
    internal long LargestPacketNumber;
    internal int Datagrams;
    internal int Ignored;
    internal int AeadAttempts;
    internal int Packets;
    internal int BufferLength;
    internal int RangeCount;
    internal QuicCryptoRanges Ranges;

    /// <summary>Creates a fresh state that parses with <paramref name="options"/> (null: <see cref="QuicInitialParserOptions.Default"/>).</summary>
    public QuicInitialParserState(QuicInitialParserOptions? options)
    {
        _options = options;
    }

    internal enum Phase : byte
    {
        Start = 0,
        Collecting,
        Done,
        Final,
    }

    /// <summary>The options this state parses with.</summary>
    public readonly QuicInitialParserOptions Options => _options ?? QuicInitialParserOptions.Default;

    /// <summary>The QUIC version of the first Initial packet (1 or 0x6b3343cf); after <see cref="QuicSniffStatus.UnsupportedVersion"/>, the version seen; 0 before.</summary>
    public readonly uint Version => QuicVersion;

    /// <summary>The Destination Connection ID of the first Initial packet (its keys decrypt the sniff); empty before one was read.</summary>
    [UnscopedRef]
    public readonly ReadOnlySpan<byte> DestinationConnectionId => ((ReadOnlySpan<byte>)Dcid)[..DcidLength];

    /// <summary>After <see cref="QuicSniffStatus.Malformed"/>: which check failed.</summary>
    public readonly QuicMalformedReason MalformedReason => Reason;

    /// <summary>When <see cref="MalformedReason"/> is <see cref="QuicMalformedReason.ClientHello"/>: the ClientHello parser's reason.</summary>
    public readonly ClientHelloMalformedReason ClientHelloMalformedReason => HelloReason;

    /// <summary>After <see cref="QuicSniffStatus.TooLarge"/>: which limit was reached.</summary>
    public readonly QuicSniffLimit ExceededLimit => Limit;

    /// <summary>Datagrams passed in so far, ignored ones included (after <see cref="QuicSniffStatus.Done"/>: how many the ClientHello needed).</summary>
    public readonly int DatagramsRead => Datagrams;

    /// <summary>Datagrams ignored: a different Destination Connection ID or version, no Initial packet, or not a long header.</summary>
    public readonly int IgnoredDatagrams => Ignored;

    /// <summary>Initial packets decrypted (or tried) so far.</summary>
    public readonly int PacketsDecrypted => AeadAttempts;

    /// <summary>Returns the state to its initial value, keeping the options.</summary>
    public void Reset() => this = new QuicInitialParserState(_options);
}
