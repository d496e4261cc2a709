using System.Buffers.Binary;

namespace MeshGateway.ClientHello;

/// <summary>The ClientHello's extensions in wire order (RFC 8446 §4.2), read in place.</summary>
public readonly ref struct TlsExtensionList
{
    private readonly ReadOnlySpan<byte> _block;

    internal TlsExtensionList(ReadOnlySpan<byte> block) => _block = block;

    /// <summary>The raw extensions block, without its 2-byte length prefix.</summary>
    public ReadOnlySpan<byte> Bytes => _block;

    /// <summary>The number of extensions (GREASE and duplicates included).</summary>
    public int Count
    {
        get
        {
            int count = 0;
            foreach (TlsExtension unused in this)
            {
                count++;
            }

            return count;
        }
    }

    /// <summary>Enumerates the extensions in wire order.</summary>
    /// <returns>An enumerator.</returns>
    public Enumerator GetEnumerator() => new(_block);

    /// <summary>Enumerates a <see cref="TlsExtensionList"/>.</summary>
    public ref struct Enumerator
    {
        private readonly ReadOnlySpan<byte> _block;
        private int _position;

        internal Enumerator(ReadOnlySpan<byte> block)
        {
            _block = block;
            _position = 0;
            Current = default;
        }

        /// <summary>The current extension.</summary>
        public TlsExtension Current { get; private set; }

        /// <summary>Moves to the next extension.</summary>
        /// <returns>False at the end (stray bytes tolerated by the lenient profile are skipped).</returns>
        public bool MoveNext()
        {
            if (_block.Length - _position < 4)
            {
                return false;
            }

            ushort type = BinaryPrimitives.ReadUInt16BigEndian(_block[_position..]);
            int length = BinaryPrimitives.ReadUInt16BigEndian(_block[(_position + 2)..]);
            Current = new TlsExtension(type, _block.Slice(_position + 4, length));
            _position += 4 + length;
            return true;
        }
    }
}

/// <summary>One extension: its type and its data, in place.</summary>
public readonly ref struct TlsExtension
{
    internal TlsExtension(ushort type, ReadOnlySpan<byte> data)
    {
        Type = type;
        Data = data;
    }

    /// <summary>The extension_type (IANA TLS ExtensionType registry).</summary>
    public ushort Type { get; }

    /// <summary>The extension_data.</summary>
    public ReadOnlySpan<byte> Data { get; }
}
