namespace MeshGateway.Naming;

/// <summary>A set of name lengths 0..255 in four words, so a lookup can skip hashing a length no rule has.</summary>
internal struct LengthSet
{
    private ulong _w0;
    private ulong _w1;
    private ulong _w2;
    private ulong _w3;

    public void Add(int length)
    {
        ulong bit = 1UL << (length & 63);
        switch (length >> 6)
        {
            case 0: _w0 |= bit; break;
            case 1: _w1 |= bit; break;
            case 2: _w2 |= bit; break;
            default: _w3 |= bit; break;
        }
    }

    public readonly bool Contains(int length)
    {
        ulong word = (length >> 6) switch
        {
            0 => _w0,
            1 => _w1,
            2 => _w2,
            _ => _w3,
        };
        return (word & (1UL << (length & 63))) != 0;
    }
}
