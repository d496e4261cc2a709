using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;
using MeshGateway.Forwarding;

namespace MeshGateway.Fuzz.Targets;

/// <summary>
/// The PROXY protocol writers' round trip (haproxy proxy-protocol.txt): the input chooses the connection's addresses
/// (IPv4, IPv6 with or without a scope, IPv4-mapped, or mixed families), ports and SNI; the header written for it is
/// read back by an independent reader here, which must find a well-formed header carrying exactly those values.
/// </summary>
internal sealed class ProxyProtocolTarget : IFuzzTarget
{
    public string Name => "proxy-protocol";

    public void Run(ReadOnlySpan<byte> input)
    {
        if (input.Length < 2)
        {
            return;
        }

        var reader = new InputReader(input);
        IPEndPoint remote = reader.EndPoint();
        IPEndPoint local = reader.EndPoint();
        string sni = Encoding.UTF8.GetString(reader.Rest(255));
        var context = new ForwardingContext(1, local, remote, CancellationToken.None)
        {
            ClientHello = new SniffedClientHello(sni.Length == 0 ? null : sni, [], 0),
        };

        Expected expected = Expected.For(remote, local);
        CheckV1(context, expected);
        CheckV2(new ProxyProtocolV2Writer(includeAuthority: true), context, expected, sni);
        CheckV2(ProxyProtocolV2Writer.Instance, context, expected, string.Empty);
    }

    private static void CheckV1(ForwardingContext context, Expected expected)
    {
        var writer = ProxyProtocolV1Writer.Instance;
        byte[] buffer = new byte[writer.GetMaxLength(context)];
        string line = Encoding.ASCII.GetString(buffer, 0, writer.Write(context, buffer));
        if (!line.EndsWith("\r\n", StringComparison.Ordinal) || line.Length > ProxyProtocolV1Writer.MaxLength)
        {
            throw new FuzzTargetException($"v1: not a line of at most 107 bytes: {line}");
        }

        string[] parts = line[..^2].Split(' ');
        if (expected.Source is null)
        {
            if (line != "PROXY UNKNOWN\r\n")
            {
                throw new FuzzTargetException($"v1: expected UNKNOWN, got {line}");
            }

            return;
        }

        // "PROXY" SP ("TCP4" | "TCP6") SP src SP dst SP srcport SP dstport CRLF, addresses in their canonical text form.
        bool v4 = expected.Source.AddressFamily == AddressFamily.InterNetwork;
        if (parts.Length != 6 || parts[0] != "PROXY" || parts[1] != (v4 ? "TCP4" : "TCP6")
            || !IPAddress.TryParse(parts[2], out IPAddress? source) || !IPAddress.TryParse(parts[3], out IPAddress? destination)
            || parts[2].Contains('%', StringComparison.Ordinal) || parts[3].Contains('%', StringComparison.Ordinal)
            || !Same(source, expected.Source.Address) || !Same(destination, expected.Destination!.Address)
            || parts[4] != expected.Source.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)
            || parts[5] != expected.Destination.Port.ToString(System.Globalization.CultureInfo.InvariantCulture))
        {
            throw new FuzzTargetException($"v1: {line.TrimEnd()} does not carry {expected}");
        }
    }

    private static void CheckV2(ProxyProtocolV2Writer writer, ForwardingContext context, Expected expected, string sni)
    {
        byte[] buffer = new byte[writer.GetMaxLength(context)];
        ReadOnlySpan<byte> header = buffer.AsSpan(0, writer.Write(context, buffer));
        if (header.Length < 16 || !header[..12].SequenceEqual(ProxyProtocolV2Writer.Signature) || header[12] != 0x21
            || BinaryPrimitives.ReadUInt16BigEndian(header[14..]) != header.Length - 16)
        {
            throw new FuzzTargetException($"v2: malformed header {Convert.ToHexString(header)}");
        }

        ReadOnlySpan<byte> block = header[16..];
        int addressLength = header[13] switch { 0x11 => 4, 0x21 => 16, 0x00 => 0, _ => -1 };
        bool v4 = expected.Source?.AddressFamily == AddressFamily.InterNetwork;
        if (addressLength != (expected.Source is null ? 0 : v4 ? 4 : 16))
        {
            throw new FuzzTargetException($"v2: family byte {header[13]:x2} for {expected}");
        }

        if (addressLength > 0)
        {
            var source = new IPEndPoint(new IPAddress(block[..addressLength]), BinaryPrimitives.ReadUInt16BigEndian(block[(2 * addressLength)..]));
            var destination = new IPEndPoint(new IPAddress(block.Slice(addressLength, addressLength)), BinaryPrimitives.ReadUInt16BigEndian(block[((2 * addressLength) + 2)..]));
            if (!Same(source, expected.Source!) || !Same(destination, expected.Destination!))
            {
                throw new FuzzTargetException($"v2: {source} {destination} instead of {expected}");
            }

            block = block[((2 * addressLength) + 4)..];
        }

        // TLVs: type(1) length(2) value. Only PP2_TYPE_AUTHORITY (0x02) is written, and only with a non-empty SNI.
        string authority = string.Empty;
        while (!block.IsEmpty)
        {
            if (block.Length < 3 || block[0] != 0x02 || BinaryPrimitives.ReadUInt16BigEndian(block[1..]) > block.Length - 3)
            {
                throw new FuzzTargetException($"v2: malformed TLV {Convert.ToHexString(block)}");
            }

            int length = BinaryPrimitives.ReadUInt16BigEndian(block[1..]);
            authority = Encoding.UTF8.GetString(block.Slice(3, length));
            block = block[(3 + length)..];
        }

        if (authority != sni)
        {
            throw new FuzzTargetException($"v2: authority '{authority}' instead of '{sni}'");
        }
    }

    private static bool Same(IPEndPoint actual, IPEndPoint expected) =>
        actual.Port == expected.Port && Same(actual.Address, expected.Address);

    // The PROXY protocol carries no IPv6 zone, so addresses compare by their bytes.
    private static bool Same(IPAddress actual, IPAddress expected) =>
        actual.GetAddressBytes().AsSpan().SequenceEqual(expected.GetAddressBytes());

    /// <summary>What a correct header says: both addresses of one family (IPv4-mapped IPv6 counts as IPv4), or unknown.</summary>
    private sealed record Expected(IPEndPoint? Source, IPEndPoint? Destination)
    {
        public static Expected For(IPEndPoint remote, IPEndPoint local)
        {
            IPEndPoint source = Unmap(remote), destination = Unmap(local);
            return source.AddressFamily == destination.AddressFamily ? new(source, destination) : new(null, null);
        }

        private static IPEndPoint Unmap(IPEndPoint e) =>
            e.Address.IsIPv4MappedToIPv6 ? new IPEndPoint(e.Address.MapToIPv4(), e.Port) : e;
    }

    /// <summary>Reads the fuzz input as a sequence of choices; missing bytes read as zero.</summary>
    private ref struct InputReader(ReadOnlySpan<byte> input)
    {
        private ReadOnlySpan<byte> _input = input;

        public IPEndPoint EndPoint()
        {
            byte kind = Byte();
            IPAddress address = (kind % 4) switch
            {
                0 => new IPAddress(Bytes(4)),
                1 => new IPAddress(Bytes(16)),
                2 => new IPAddress(Bytes(16), scopeid: Byte() + 1),
                _ => new IPAddress(Bytes(4)).MapToIPv6(),
            };
            return new IPEndPoint(address, (Byte() << 8) | Byte());
        }

        public ReadOnlySpan<byte> Rest(int max)
        {
            ReadOnlySpan<byte> rest = _input[..Math.Min(max, _input.Length)];
            _input = default;
            return rest;
        }

        private byte Byte()
        {
            if (_input.IsEmpty)
            {
                return 0;
            }

            byte b = _input[0];
            _input = _input[1..];
            return b;
        }

        private byte[] Bytes(int count)
        {
            byte[] bytes = new byte[count];
            for (int i = 0; i < count; i++)
            {
                bytes[i] = Byte();
            }

            return bytes;
        }
    }
}
