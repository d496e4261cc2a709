using System.Buffers.Binary;

namespace MeshGateway.ClientHello;

/// <summary>The groups of the key_share client_shares (RFC 8446 §4.2.8), read in place.</summary>
public readonly ref struct TlsKeyShareGroupList
{
    private readonly ReadOnlySpan<byte> _shares;

    internal TlsKeyShareGroupList(ReadOnlySpan<byte> shares) => _shares = shares;

    /// <summary>The raw client_shares, without their 2-byte length prefix.</summary>
    public ReadOnlySpan<byte> Bytes => _shares;

    /// <summary>Enumerates the NamedGroup of each KeyShareEntry in wire order.</summary>
    /// <returns>An enumerator.</returns>
    public Enumerator GetEnumerator() => new(_shares);

    /// <summary>Enumerates a <see cref="TlsKeyShareGroupList"/>.</summary>
    public ref struct Enumerator
    {
        private readonly ReadOnlySpan<byte> _shares;
        private int _position;

        internal Enumerator(ReadOnlySpan<byte> shares)
        {
            _shares = shares;
            _position = 0;
            Current = 0;
        }

        /// <summary>The current group.</summary>
        public ushort Current { get; private set; }

        /// <summary>Moves to the next entry.</summary>
        /// <returns>False at the end.</returns>
        public bool MoveNext()
        {
            if (_shares.Length - _position < 4)
            {
                return false;
            }

            Current = BinaryPrimitives.ReadUInt16BigEndian(_shares[_position..]);
            _position += 4 + BinaryPrimitives.ReadUInt16BigEndian(_shares[(_position + 2)..]);
            return true;
        }
    }
}
