namespace MeshGateway.ClientHello;

/// <summary>
/// An offset and length into the ClientHello message. The default value is <see cref="Absent"/> (the offset is
/// stored plus one), so a fresh <see cref="ClientHelloLayout"/> needs no initialisation beyond zeroing.
/// </summary>
internal readonly record struct Segment
{
    private readonly int _offsetPlusOne;

    public Segment(int offset, int length)
    {
        _offsetPlusOne = offset + 1;
        Length = length;
    }

    public static Segment Absent => default;

    /// <summary>The offset into the message; -1 when the field is absent.</summary>
    public int Offset => _offsetPlusOne - 1;

    public int Length { get; }

    public bool IsPresent => _offsetPlusOne > 0;

    public ReadOnlySpan<byte> In(ReadOnlySpan<byte> message) => IsPresent ? message.Slice(Offset, Length) : default;
}
