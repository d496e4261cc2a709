using System.Net.Sockets;
using System.Text;

namespace MeshGateway.Forwarding;

/// <summary>
/// Writes a PROXY protocol version 1 header (haproxy proxy-protocol.txt §2.1): the text line
/// <c>PROXY TCP4|TCP6 SRC DST SPORT DPORT\r\n</c>, or <c>PROXY UNKNOWN\r\n</c> when the addresses are not
/// usable. At most 107 bytes.
/// </summary>
public sealed class ProxyProtocolV1Writer : IUpstreamPreambleWriter, INonBlockingStage
{
    /// <summary>The longest v1 header the spec allows (TCP6 with maximal addresses), CRLF included.</summary>
    public const int MaxLength = 107;

    /// <summary>The shared instance.</summary>
    public static ProxyProtocolV1Writer Instance { get; } = new();

    /// <inheritdoc/>
    public int GetMaxLength(ForwardingContext context) => MaxLength;

    /// <inheritdoc/>
    public int Write(ForwardingContext context, Span<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(context);
        string line = ProxyProtocolAddresses.TryGet(context, out ProxyProtocolAddresses a)
            ? string.Join(
                ' ',
                "PROXY",
                a.Source.AddressFamily == AddressFamily.InterNetwork ? "TCP4" : "TCP6",
                a.Source.Address.ToString(),
                a.Destination.Address.ToString(),
                a.Source.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                a.Destination.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)) + "\r\n"
            : "PROXY UNKNOWN\r\n";
        return Encoding.ASCII.GetBytes(line, destination);
    }
}
