namespace MeshGateway.ClientHello;

/// <summary>An offset and length into the ClientHello message; <see cref="Offset"/> is -1 when the field is absent.</summary>
internal readonly record struct Segment(int Offset, int Length)
{
    public static Segment Absent => new(-1, 0);

    public bool IsPresent => Offset >= 0;

    public ReadOnlySpan<byte> In(ReadOnlySpan<byte> message) => IsPresent ? message.Slice(Offset, Length) : default;
}
