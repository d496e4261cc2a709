namespace MeshGateway.ClientHello;

/// <summary>The ALPN protocol_name_list (RFC 7301 §3.1), read in place: each entry is a case-sensitive byte string.</summary>
public readonly ref struct TlsProtocolNameList
{
    private readonly ReadOnlySpan<byte> _bytes;

    internal TlsProtocolNameList(ReadOnlySpan<byte> bytes) => _bytes = bytes;

    /// <summary>True when the ClientHello had no ALPN extension.</summary>
    public bool IsEmpty => _bytes.IsEmpty;

    /// <summary>The raw list, without its 2-byte length prefix.</summary>
    public ReadOnlySpan<byte> Bytes => _bytes;

    /// <summary>The number of protocol names.</summary>
    public int Count
    {
        get
        {
            int count = 0;
            foreach (ReadOnlySpan<byte> unused in this)
            {
                count++;
            }

            return count;
        }
    }

    /// <summary>The first protocol name in wire order, or empty.</summary>
    public ReadOnlySpan<byte> First => _bytes.IsEmpty ? default : _bytes.Slice(1, _bytes[0]);

    /// <summary>Enumerates the protocol names in the client's preference order.</summary>
    /// <returns>An enumerator.</returns>
    public Enumerator GetEnumerator() => new(_bytes);

    /// <summary>Enumerates a <see cref="TlsProtocolNameList"/>.</summary>
    public ref struct Enumerator
    {
        private readonly ReadOnlySpan<byte> _bytes;
        private int _position;

        internal Enumerator(ReadOnlySpan<byte> bytes)
        {
            _bytes = bytes;
            _position = 0;
            Current = default;
        }

        /// <summary>The current protocol name.</summary>
        public ReadOnlySpan<byte> Current { get; private set; }

        /// <summary>Moves to the next name.</summary>
        /// <returns>False at the end.</returns>
        public bool MoveNext()
        {
            if (_position >= _bytes.Length)
            {
                return false;
            }

            int length = _bytes[_position];
            Current = _bytes.Slice(_position + 1, length);
            _position += 1 + length;
            return true;
        }
    }
}
