using System.Buffers.Binary;

namespace MeshGateway.ClientHello;

/// <summary>A wire list of big-endian uint16 values (cipher suites, versions, groups, signature schemes), read in place.</summary>
public readonly ref struct TlsUInt16List
{
    private readonly ReadOnlySpan<byte> _bytes;

    internal TlsUInt16List(ReadOnlySpan<byte> bytes) => _bytes = bytes;

    /// <summary>The number of values (GREASE included).</summary>
    public int Count => _bytes.Length / 2;

    /// <summary>The raw bytes of the list, without its length prefix.</summary>
    public ReadOnlySpan<byte> Bytes => _bytes;

    /// <summary>The value at <paramref name="index"/>, in wire order.</summary>
    /// <param name="index">0 to <see cref="Count"/> - 1.</param>
    public ushort this[int index] => BinaryPrimitives.ReadUInt16BigEndian(_bytes.Slice(index * 2, 2));

    /// <summary>Enumerates the values in wire order.</summary>
    /// <returns>An enumerator.</returns>
    public Enumerator GetEnumerator() => new(_bytes);

    /// <summary>Enumerates a <see cref="TlsUInt16List"/>.</summary>
    public ref struct Enumerator
    {
        private readonly ReadOnlySpan<byte> _bytes;
        private int _next;

        internal Enumerator(ReadOnlySpan<byte> bytes)
        {
            _bytes = bytes;
            _next = -2;
        }

        /// <summary>The current value.</summary>
        public readonly ushort Current => BinaryPrimitives.ReadUInt16BigEndian(_bytes[_next..]);

        /// <summary>Moves to the next value.</summary>
        /// <returns>False at the end.</returns>
        public bool MoveNext()
        {
            _next += 2;
            return _next + 1 < _bytes.Length;
        }
    }
}
