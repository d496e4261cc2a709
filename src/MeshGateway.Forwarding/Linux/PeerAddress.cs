using System.Buffers.Binary;
using System.Net;
using System.Runtime.InteropServices;

namespace MeshGateway.Forwarding;

/// <summary>
/// An IP address and port as <c>accept4(2)</c> wrote them (a <c>sockaddr_in</c> or <c>sockaddr_in6</c>, ip(7) and
/// ipv6(7)), kept as 24 bytes inline until someone asks for an <see cref="IPEndPoint"/>: a connection whose peer
/// nobody looks at (no log, no PROXY header, no stage that reads <see cref="ForwardingContext.RemoteEndPoint"/>)
/// then makes no endpoint and no address object.
/// </summary>
internal readonly struct PeerAddress
{
    private readonly ulong _high;    // IPv6: bytes 0-7 of the address; IPv4: 0
    private readonly ulong _low;     // IPv6: bytes 8-15; IPv4: the 4 address bytes in the low half (network order)
    private readonly uint _scope;    // IPv6 scope id
    private readonly ushort _port;
    private readonly Family _family;

    private PeerAddress(Family family, ulong high, ulong low, uint scope, ushort port)
    {
        _family = family;
        _high = high;
        _low = low;
        _scope = scope;
        _port = port;
    }

    private enum Family : ushort
    {
        None,
        V4,
        V6,
    }

    /// <summary>The peer of a <c>sockaddr</c> of <paramref name="address"/>'s length; none for another family or a short one.</summary>
    public static PeerAddress Read(ReadOnlySpan<byte> address)
    {
        if (address.Length < 4)
        {
            return default;
        }

        ushort family = MemoryMarshal.Read<ushort>(address);   // sa_family: host order
        ushort port = BinaryPrimitives.ReadUInt16BigEndian(address[2..]);
        if (family == LinuxSockets.AfInet && address.Length >= 16)
        {
            return new PeerAddress(Family.V4, 0, MemoryMarshal.Read<uint>(address.Slice(4, 4)), 0, port);
        }

        if (family == LinuxSockets.AfInet6 && address.Length >= 28)
        {
            return new PeerAddress(
                Family.V6,
                MemoryMarshal.Read<ulong>(address.Slice(8, 8)),
                MemoryMarshal.Read<ulong>(address.Slice(16, 8)),
                MemoryMarshal.Read<uint>(address.Slice(24, 4)),
                port);
        }

        return default;
    }

    /// <summary>The endpoint, made now; null when the address was not IPv4 or IPv6.</summary>
    public IPEndPoint? ToEndPoint()
    {
        switch (_family)
        {
            case Family.V4:
                Span<byte> v4 = stackalloc byte[4];
                MemoryMarshal.Write(v4, (uint)_low);
                return new IPEndPoint(new IPAddress(v4), _port);
            case Family.V6:
                Span<byte> v6 = stackalloc byte[16];
                MemoryMarshal.Write(v6, _high);
                MemoryMarshal.Write(v6[8..], _low);
                return new IPEndPoint(new IPAddress(v6, _scope), _port);
            default:
                return null;
        }
    }
}
