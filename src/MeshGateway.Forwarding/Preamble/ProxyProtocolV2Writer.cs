using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;

namespace MeshGateway.Forwarding;

/// <summary>
/// Writes a PROXY protocol version 2 header (haproxy proxy-protocol.txt §2.2): the 12-byte signature, version 2
/// with command PROXY (0x21), family TCP over IPv4 (0x11) or IPv6 (0x21), or UNSPEC (0x00) when the addresses are
/// not usable, then the address block and, optionally, a <c>PP2_TYPE_AUTHORITY</c> TLV carrying the SNI.
/// ALPN is never sent: the spec means the negotiated protocol, and a passthrough forwarder only sees offers.
/// </summary>
public sealed class ProxyProtocolV2Writer : IUpstreamPreambleWriter, INonBlockingStage
{
    // struct proxy_hdr_v2 { uint8_t sig[12]; uint8_t ver_cmd; uint8_t fam; uint16_t len; }
    private const int HeaderLength = 16;
    private const byte VersionCommandProxy = 0x21;
    private const byte FamilyUnspec = 0x00;
    private const byte FamilyTcp4 = 0x11;
    private const byte FamilyTcp6 = 0x21;
    private const int Ipv4BlockLength = 12; // src_addr[4] dst_addr[4] src_port dst_port
    private const int Ipv6BlockLength = 36; // src_addr[16] dst_addr[16] src_port dst_port
    private const byte TypeAuthority = 0x02; // PP2_TYPE_AUTHORITY: "an exact copy of the server_name extension"
    private const int TlvHeaderLength = 3;   // type, length_hi, length_lo

    /// <summary>A writer with no TLVs.</summary>
    public static ProxyProtocolV2Writer Instance { get; } = new(includeAuthority: false);

    /// <summary>Creates a writer.</summary>
    /// <param name="includeAuthority">Adds a <c>PP2_TYPE_AUTHORITY</c> TLV with the SNI when the ClientHello carried one.</param>
    public ProxyProtocolV2Writer(bool includeAuthority)
    {
        IncludeAuthority = includeAuthority;
    }

    /// <summary>The v2 signature: <c>\r\n\r\n\0\r\nQUIT\n</c>.</summary>
    internal static ReadOnlySpan<byte> Signature => [0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A];

    /// <summary>True when the SNI is sent as a <c>PP2_TYPE_AUTHORITY</c> TLV.</summary>
    public bool IncludeAuthority { get; }

    /// <inheritdoc/>
    public int GetMaxLength(ForwardingContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return HeaderLength + Ipv6BlockLength + AuthorityLength(context);
    }

    /// <inheritdoc/>
    public int Write(ForwardingContext context, Span<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(context);
        Signature.CopyTo(destination);
        destination[12] = VersionCommandProxy;
        int offset = HeaderLength;
        if (ProxyProtocolAddresses.TryGet(context, out ProxyProtocolAddresses a))
        {
            bool v4 = a.Source.AddressFamily == AddressFamily.InterNetwork;
            int addressLength = v4 ? 4 : 16;
            destination[13] = v4 ? FamilyTcp4 : FamilyTcp6;
            a.Source.Address.TryWriteBytes(destination[offset..], out _);
            a.Destination.Address.TryWriteBytes(destination[(offset + addressLength)..], out _);
            offset += 2 * addressLength;
            BinaryPrimitives.WriteUInt16BigEndian(destination[offset..], (ushort)a.Source.Port);
            BinaryPrimitives.WriteUInt16BigEndian(destination[(offset + 2)..], (ushort)a.Destination.Port);
            offset += 4;
        }
        else
        {
            destination[13] = FamilyUnspec;
        }

        string? serverName = IncludeAuthority ? context.ClientHello?.ServerName : null;
        if (!string.IsNullOrEmpty(serverName))
        {
            int length = Encoding.UTF8.GetBytes(serverName, destination[(offset + TlvHeaderLength)..]);
            destination[offset] = TypeAuthority;
            BinaryPrimitives.WriteUInt16BigEndian(destination[(offset + 1)..], (ushort)length);
            offset += TlvHeaderLength + length;
        }

        BinaryPrimitives.WriteUInt16BigEndian(destination[14..], (ushort)(offset - HeaderLength));
        return offset;
    }

    private int AuthorityLength(ForwardingContext context) =>
        IncludeAuthority && context.ClientHello?.ServerName is { Length: > 0 } name
            ? TlvHeaderLength + Encoding.UTF8.GetByteCount(name)
            : 0;
}
