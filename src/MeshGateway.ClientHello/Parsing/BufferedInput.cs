using System.Buffers;

namespace MeshGateway.ClientHello;

/// <summary>
/// The client's buffered first bytes, contiguous or not. The record walker reads only headers through it and copies
/// fragments out once; a single-segment sequence is turned into a span up front (the fast path).
/// </summary>
internal readonly ref struct BufferedInput
{
    private readonly ReadOnlySpan<byte> _span;
    private readonly ReadOnlySequence<byte> _sequence;

    public BufferedInput(ReadOnlySpan<byte> span)
    {
        _span = span;
        _sequence = default;
        IsContiguous = true;
        Length = span.Length;
    }

    public BufferedInput(in ReadOnlySequence<byte> sequence)
    {
        if (sequence.IsSingleSegment)
        {
            _span = sequence.FirstSpan;
            _sequence = default;
            IsContiguous = true;
            Length = _span.Length;
        }
        else
        {
            _span = default;
            _sequence = sequence;
            IsContiguous = false;
            // Nothing past the largest possible hello matters; clamp so offsets stay ints.
            Length = (int)Math.Min(sequence.Length, int.MaxValue);
        }
    }

    public bool IsContiguous { get; }

    public int Length { get; }

    public ReadOnlySpan<byte> Span => _span;

    public byte this[int index] => IsContiguous ? _span[index] : ReadSlow(index);

    public void CopyTo(int offset, Span<byte> destination)
    {
        if (IsContiguous)
        {
            _span.Slice(offset, destination.Length).CopyTo(destination);
        }
        else
        {
            _sequence.Slice(offset, destination.Length).CopyTo(destination);
        }
    }

    private byte ReadSlow(int index)
    {
        Span<byte> one = stackalloc byte[1];
        _sequence.Slice(index, 1).CopyTo(one);
        return one[0];
    }
}
