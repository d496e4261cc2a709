namespace MeshGateway.ClientHello;

/// <summary>
/// What the parser remembers between calls on one connection (the <c>JsonReaderState</c> pattern): how far the
/// record layer has been walked, the handshake header, and any final outcome. Keep one per connection, pass it by
/// <see langword="ref"/> to <see cref="ClientHelloParser"/> with the whole buffered prefix each time, and the total
/// work stays O(bytes) however the bytes arrive.
/// </summary>
/// <remarks>The default value is a fresh state with <see cref="ClientHelloParserOptions.Default"/>.</remarks>
public struct ClientHelloParserState
{
    private readonly ClientHelloParserOptions? _options;

    internal Phase CurrentPhase;
    internal int LastInputLength;
    internal int RecordStart;
    internal int RecordEnd;
    internal int RecordCount;
    internal int FragmentBytes;
    internal int HandshakeHeaderBytes;
    internal uint HandshakeHeader;
    internal ushort FirstRecordVersion;
    internal bool SawSsl3RecordVersion;
    internal ClientHelloTolerances RecordTolerances;
    internal ClientHelloStatus FinalStatus;
    internal ClientHelloMalformedReason Reason;
    internal int Needed;

    /// <summary>Bytes the record walker has read from the input over all calls: proves the O(n) claim in tests.</summary>
    internal long RecordLayerBytesRead;

    /// <summary>Creates a fresh state that parses with <paramref name="options"/> (null: <see cref="ClientHelloParserOptions.Default"/>).</summary>
    public ClientHelloParserState(ClientHelloParserOptions? options)
    {
        _options = options;
    }

    internal enum Phase : byte
    {
        Start = 0,
        RecordHeader,
        RecordPayload,
        LegacyV2,
        RecordsComplete,
        Final,
    }

    /// <summary>The options this state parses with.</summary>
    public readonly ClientHelloParserOptions Options => _options ?? ClientHelloParserOptions.Default;

    /// <summary>After <see cref="ClientHelloStatus.NeedMoreData"/>: the minimum number of further bytes known to be needed (≥ 1).</summary>
    public readonly int BytesNeeded => Needed;

    /// <summary>After <see cref="ClientHelloStatus.Malformed"/>: which check failed.</summary>
    public readonly ClientHelloMalformedReason MalformedReason => Reason;

    /// <summary>The number of TLS records whose headers have been read so far.</summary>
    public readonly int RecordsRead => RecordCount;

    /// <summary>Returns the state to its initial value, keeping the options.</summary>
    public void Reset() => this = new ClientHelloParserState(_options);
}
