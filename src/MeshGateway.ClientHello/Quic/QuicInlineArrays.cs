using System.Runtime.CompilerServices;

namespace MeshGateway.ClientHello;

/// <summary>A connection ID's bytes, held in the state (RFC 9000 §17.2: at most 20).</summary>
[InlineArray(QuicWire.MaxConnectionIdLength)]
internal struct QuicConnectionIdBytes
{
    private byte _element;
}

/// <summary>The client's Initial key (16), IV (12) and header protection key (16), in that order.</summary>
[InlineArray(QuicInitialKeys.Length)]
internal struct QuicKeyBytes
{
    private byte _element;
}

/// <summary>The received CRYPTO ranges, sorted and disjoint.</summary>
[InlineArray(QuicInitialParserOptions.HardMaxCryptoGaps + 1)]
internal struct QuicCryptoRanges
{
    private QuicCryptoRange _element;
}

/// <summary>One received range of the CRYPTO stream: [Start, End).</summary>
internal struct QuicCryptoRange
{
    public int Start;
    public int End;
}
