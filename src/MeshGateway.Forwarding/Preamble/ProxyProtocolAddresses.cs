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

    private static IPEndPoint Unmap(IPEndPoint endPoint) =>
        endPoint.Address.IsIPv4MappedToIPv6 ? new IPEndPoint(endPoint.Address.MapToIPv4(), endPoint.Port) : endPoint;
}
