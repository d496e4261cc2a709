using System.Buffers.Binary;

namespace MeshGateway.ClientHello;

public static partial class ClientHelloParser
{
    // struct {
    //     NameType name_type;
    //     select (name_type) { case host_name: HostName; } name;
    // } ServerName;
    // enum { host_name(0), (255) } NameType;
    // opaque HostName<1..2^16-1>;
    // struct { ServerName server_name_list<1..2^16-1> } ServerNameList;      (RFC 6066 §3)
    //
    // "The ServerNameList MUST NOT contain more than one name of the same name_type." Only host_name's encoding is
    // defined, so an unknown name_type cannot be skipped safely. Lenient: the first host_name wins (nginx, HAProxy).
    private static ClientHelloMalformedReason ParseServerName(
        ReadOnlySpan<byte> data, int dataOffset, bool strict, ref ClientHelloLayout layout)
    {
        if (data.Length < 2)
        {
            return ClientHelloMalformedReason.ServerNameTruncated;
        }

        int listLength = BinaryPrimitives.ReadUInt16BigEndian(data);
        if (listLength != data.Length - 2)
        {
            return ClientHelloMalformedReason.ServerNameListLengthMismatch;
        }

        if (listLength == 0)
        {
            return ClientHelloMalformedReason.ServerNameListEmpty;
        }

        Segment hostName = Segment.Absent;
        int position = 2;
        while (position < data.Length)
        {
            if (data.Length - position < 3)
            {
                return ClientHelloMalformedReason.ServerNameEntryOverrun;
            }

            if (data[position] != TlsWire.NameTypeHostName)
            {
                if (strict)
                {
                    return ClientHelloMalformedReason.UnknownServerNameType;
                }

                layout.Tolerances |= ClientHelloTolerances.UnknownServerNameType;
                break;
            }

            int nameLength = (data[position + 1] << 8) | data[position + 2];
            position += 3;
            if (nameLength > data.Length - position)
            {
                return ClientHelloMalformedReason.ServerNameEntryOverrun;
            }

            if (hostName.IsPresent)
            {
                if (strict)
                {
                    return ClientHelloMalformedReason.MultipleHostNames;
                }

                layout.Tolerances |= ClientHelloTolerances.MultipleHostNames;
                position += nameLength;
                continue;
            }

            ReadOnlySpan<byte> name = data.Slice(position, nameLength);
            if (nameLength == 0)
            {
                return ClientHelloMalformedReason.HostNameEmpty;
            }

            if (nameLength > TlsWire.MaxHostNameLength)
            {
                return ClientHelloMalformedReason.HostNameTooLong;
            }

            // RFC 6066 §3: "represented as a byte string using ASCII encoding". One vectorized scan for anything
            // outside VCHAR (RFC 5234: 0x21-0x7E); the rare hit is then sorted into NUL (malformed under both
            // profiles) and the rest (control bytes, space, DEL, above 0x7F: they could forge a log line or field).
            if (name.IndexOfAnyExceptInRange((byte)0x21, (byte)0x7E) >= 0)
            {
                if (name.Contains((byte)0))
                {
                    return ClientHelloMalformedReason.HostNameContainsNul;
                }

                if (strict)
                {
                    return ClientHelloMalformedReason.HostNameNotPrintableAscii;
                }

                layout.Tolerances |= ClientHelloTolerances.HostNameNotPrintableAscii;
            }

            hostName = new Segment(dataOffset + position, nameLength);
            position += nameLength;
        }

        if (!hostName.IsPresent)
        {
            return ClientHelloMalformedReason.None;
        }

        // Only what the profile decides on is computed here; the other traits are computed on request. One trailing
        // dot is the DNS root (RFC 1034 §3.1) and is judged by the options in FinishMessage; any other empty label is
        // not a name (RFC 1035 §3.1).
        ServerNameTraits flags = HostNameClassifier.ClassifyForProfile(data.Slice(hostName.Offset - dataOffset, hostName.Length));
        if ((flags & ServerNameTraits.InvalidDnsSyntax) != 0)
        {
            if (strict)
            {
                return ClientHelloMalformedReason.HostNameEmptyLabel;
            }

            layout.Tolerances |= ClientHelloTolerances.HostNameEmptyLabel;
        }

        layout.HostName = hostName;
        // RFC 6066 forbids IP literals; the strict profile treats one as "no SNI" (as rustls does).
        if (!(strict && (flags & ServerNameTraits.IpLiteral) != 0))
        {
            layout.ServerName = hostName;
        }

        return ClientHelloMalformedReason.None;
    }

    // opaque ProtocolName<1..2^8-1>;
    // struct { ProtocolName protocol_name_list<2..2^16-1> } ProtocolNameList;   (RFC 7301 §3.1)
    // "Empty strings MUST NOT be included and byte strings MUST NOT be truncated."
    private static ClientHelloMalformedReason ParseAlpn(ReadOnlySpan<byte> data, int dataOffset, ref ClientHelloLayout layout)
    {
        if (data.Length < 2 || BinaryPrimitives.ReadUInt16BigEndian(data) != data.Length - 2)
        {
            return ClientHelloMalformedReason.AlpnListLengthMismatch;
        }

        if (data.Length - 2 < 2)
        {
            return ClientHelloMalformedReason.AlpnListTooShort;
        }

        int position = 2;
        while (position < data.Length)
        {
            int nameLength = data[position++];
            if (nameLength == 0)
            {
                return ClientHelloMalformedReason.AlpnProtocolEmpty;
            }

            if (nameLength > data.Length - position)
            {
                return ClientHelloMalformedReason.AlpnProtocolOverrun;
            }

            position += nameLength;
        }

        layout.Alpn = new Segment(dataOffset + 2, data.Length - 2);
        return ClientHelloMalformedReason.None;
    }
}
