using System.Buffers.Binary;

namespace MeshGateway.ClientHello.Tests.Differential;

/// <summary>
/// Writes client payloads as TCP streams to port 443 in a classic pcap file (LINKTYPE_RAW, IPv4), one stream per
/// payload, told apart by the client port, so that one tshark run decodes thousands of ClientHellos.
/// Checksums are left zero; tshark does not verify them by default.
/// </summary>
internal static class PcapWriter
{
    public const int FirstClientPort = 10000;
    private const int LinkTypeRaw = 101;
    private const int SegmentSize = 1460;
    private const byte Syn = 0x02, Ack = 0x10, Psh = 0x08;

    public static void Write(string path, IReadOnlyList<byte[]> payloads)
    {
        using var file = File.Create(path);
        Span<byte> header = stackalloc byte[24];
        BinaryPrimitives.WriteUInt32LittleEndian(header, 0xA1B2C3D4);
        BinaryPrimitives.WriteUInt16LittleEndian(header[4..], 2);
        BinaryPrimitives.WriteUInt16LittleEndian(header[6..], 4);
        BinaryPrimitives.WriteUInt32LittleEndian(header[16..], 262144);
        BinaryPrimitives.WriteUInt32LittleEndian(header[20..], LinkTypeRaw);
        file.Write(header);

        uint time = 0;
        for (int i = 0; i < payloads.Count; i++)
        {
            ushort port = (ushort)(FirstClientPort + i);
            const uint ClientSeq = 1000, ServerSeq = 5000;
            WritePacket(file, ref time, port, toServer: true, ClientSeq, 0, Syn, []);
            WritePacket(file, ref time, port, toServer: false, ServerSeq, ClientSeq + 1, Syn | Ack, []);
            WritePacket(file, ref time, port, toServer: true, ClientSeq + 1, ServerSeq + 1, Ack, []);
            byte[] payload = payloads[i];
            for (int offset = 0; offset < payload.Length; offset += SegmentSize)
            {
                int length = Math.Min(SegmentSize, payload.Length - offset);
                WritePacket(file, ref time, port, toServer: true, (uint)(ClientSeq + 1 + offset), ServerSeq + 1, Psh | Ack, payload.AsSpan(offset, length));
                WritePacket(file, ref time, port, toServer: false, ServerSeq + 1, (uint)(ClientSeq + 1 + offset + length), Ack, []);
            }
        }
    }

    private static void WritePacket(Stream file, ref uint time, ushort clientPort, bool toServer, uint seq, uint ack, int flags, ReadOnlySpan<byte> payload)
    {
        int length = 20 + 20 + payload.Length;
        byte[] packet = new byte[16 + length];
        Span<byte> record = packet;
        time++;
        BinaryPrimitives.WriteUInt32LittleEndian(record, 1_700_000_000 + (time / 1_000_000));
        BinaryPrimitives.WriteUInt32LittleEndian(record[4..], time % 1_000_000);
        BinaryPrimitives.WriteUInt32LittleEndian(record[8..], (uint)length);
        BinaryPrimitives.WriteUInt32LittleEndian(record[12..], (uint)length);

        // IPv4 header (RFC 791), 127.0.0.1 ↔ 127.0.0.2.
        Span<byte> ip = record[16..];
        ip[0] = 0x45;
        BinaryPrimitives.WriteUInt16BigEndian(ip[2..], (ushort)length);
        BinaryPrimitives.WriteUInt16BigEndian(ip[6..], 0x4000);
        ip[8] = 64;
        ip[9] = 6;
        byte[] client = [127, 0, 0, 1], server = [127, 0, 0, 2];
        (toServer ? client : server).CopyTo(ip[12..]);
        (toServer ? server : client).CopyTo(ip[16..]);

        // TCP header (RFC 9293).
        Span<byte> tcp = ip[20..];
        BinaryPrimitives.WriteUInt16BigEndian(tcp, toServer ? clientPort : (ushort)443);
        BinaryPrimitives.WriteUInt16BigEndian(tcp[2..], toServer ? (ushort)443 : clientPort);
        BinaryPrimitives.WriteUInt32BigEndian(tcp[4..], seq);
        BinaryPrimitives.WriteUInt32BigEndian(tcp[8..], ack);
        tcp[12] = 5 << 4;
        tcp[13] = (byte)flags;
        BinaryPrimitives.WriteUInt16BigEndian(tcp[14..], 65535);
        payload.CopyTo(tcp[20..]);
        file.Write(packet);
    }
}
