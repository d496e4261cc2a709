using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace MeshGateway.Forwarding;

/// <summary>
/// The one listen-address syntax of MeshGateway's configuration: <c>IPv4:PORT</c>, <c>[IPv6]:PORT</c> or
/// <c>localhost:PORT</c>, the port always explicit (0 asks the system for a free one).
/// <see cref="IPEndPoint.TryParse(string, out IPEndPoint?)"/> alone also takes <c>::1</c> or <c>127.0.0.1</c> without
/// a port and returns port 0, which would bind a random port nobody asked for.
/// </summary>
public static class ListenEndPoint
{
    /// <summary>What a valid address looks like, for error messages.</summary>
    public const string Expected = "expected HOST:PORT with an IPv4 address, an [IPv6] address in brackets or localhost, and a port from 0 to 65535 (0 picks a free one), e.g. 127.0.0.1:8443 or [::1]:8443";

    /// <summary>Parses <paramref name="text"/>.</summary>
    /// <param name="text">The address.</param>
    /// <param name="endPoint">The address, or <see langword="null"/> when invalid.</param>
    /// <param name="problem">What is wrong and what is allowed, one sentence; <see langword="null"/> on success.</param>
    /// <returns><see langword="true"/> when <paramref name="text"/> is an address with a port.</returns>
    public static bool TryParse(string? text, out IPEndPoint? endPoint, out string? problem)
    {
        endPoint = null;
        if (string.IsNullOrEmpty(text))
        {
            problem = Expected + ", got an empty value.";
            return false;
        }

        int colon = text.LastIndexOf(':');
        bool bracketed = text.StartsWith('[');
        if (bracketed ? colon < 0 || colon == 0 || text[colon - 1] != ']' : colon < 0 || text.IndexOf(':', StringComparison.Ordinal) != colon)
        {
            // No port: "127.0.0.1", "[::1]", or an IPv6 address without brackets such as "::1" (its colons are not a port).
            problem = IPAddress.TryParse(text.Trim('[', ']'), out IPAddress? address) && address.AddressFamily == AddressFamily.InterNetworkV6
                ? $"the IPv6 address has no port; write it in brackets with a port, e.g. [{address}]:8443 ({Expected})."
                : $"no port; {Expected}.";
            return false;
        }

        ReadOnlySpan<char> host = text.AsSpan(0, colon);
        ReadOnlySpan<char> portText = text.AsSpan(colon + 1);
        if (portText.IsEmpty || portText.ContainsAnyExceptInRange('0', '9')
            || !ushort.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out ushort port))
        {
            problem = $"the port \"{MeshGatewayText.Escape(portText)}\" is not a number from 0 to 65535; {Expected}.";
            return false;
        }

        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase))
        {
            endPoint = new IPEndPoint(IPAddress.Loopback, port);
            problem = null;
            return true;
        }

        ReadOnlySpan<char> addressText = bracketed ? host[1..^1] : host;
        if (!IPAddress.TryParse(addressText, out IPAddress? ip)
            || (bracketed != (ip.AddressFamily == AddressFamily.InterNetworkV6))
            || (!bracketed && addressText.Count('.') != 3))
        {
            problem = $"\"{MeshGatewayText.Escape(host)}\" is not an IPv4 address, an [IPv6] address in brackets or localhost; {Expected}.";
            return false;
        }

        endPoint = new IPEndPoint(ip, port);
        problem = null;
        return true;
    }
}
