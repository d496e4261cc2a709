namespace MeshGateway.ClientHello;

/// <summary>Appends ASCII to a fixed span; remembers an overflow instead of throwing.</summary>
internal ref struct CharWriter
{
    private readonly Span<char> _destination;

    public CharWriter(Span<char> destination)
    {
        _destination = destination;
        Written = 0;
        Overflowed = false;
    }

    public int Written { get; private set; }

    public bool Overflowed { get; private set; }

    public void Write(char c)
    {
        if (Written < _destination.Length)
        {
            _destination[Written++] = c;
        }
        else
        {
            Overflowed = true;
        }
    }

    public void WriteDecimal(int value)
    {
        if (value.TryFormat(_destination[Written..], out int written, default, System.Globalization.CultureInfo.InvariantCulture))
        {
            Written += written;
        }
        else
        {
            Overflowed = true;
        }
    }
}
