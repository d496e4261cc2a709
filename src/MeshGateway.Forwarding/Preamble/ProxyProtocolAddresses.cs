using System.Net;
using System.Net.Sockets;

namespace MeshGateway.Forwarding;

/// <summary>The client (source) and listener (destination) addresses a PROXY header carries, normalised.</summary>
internal readonly record struct ProxyProtocolAddresses(IPEndPoint Source, IPEndPoint Destination)
{
    /// <summary>
    /// Returns both end points when they are IP end points of one family; IPv4-mapped IPv6 addresses (dual-mode
    /// sockets) are unmapped first. Otherwise false: the header then says UNKNOWN (v1) or UNSPEC (v2).
    /// </summary>
    public static bool TryGet(ForwardingContext context, out ProxyProtocolAddresses addresses)
    {
        addresses = default;
        if (context.RemoteEndPoint is not IPEndPoint source || context.LocalEndPoint is not IPEndPoint destination)
        {
            return false;
        }

        source = Unmap(source);
        destination = Unmap(destination);
        if (source.AddressFamily != destination.AddressFamily
            || source.AddressFamily is not (AddressFamily.InterNetwork or AddressFamily.InterNetworkV6))
        {
            return false;
        }

        addresses = new ProxyProtocolAddresses(source, destination);
        return true;
    }

    // IPv4-mapped IPv6 is written as IPv4; an IPv6 zone (fe80::1%eth0) is dropped, because the PROXY protocol carries
    // none: v1 wants the RFC 4291 text form and v2 the 16 address bytes (haproxy proxy-protocol.txt §2.1, §2.2).
    private static IPEndPoint Unmap(IPEndPoint endPoint) =>
        endPoint.Address.IsIPv4MappedToIPv6 ? new IPEndPoint(endPoint.Address.MapToIPv4(), endPoint.Port)
        : endPoint.AddressFamily == AddressFamily.InterNetworkV6 && endPoint.Address.ScopeId != 0 ? new IPEndPoint(new IPAddress(endPoint.Address.GetAddressBytes()), endPoint.Port)
        : endPoint;
}
