namespace MeshGateway.Testing.ClientHellos;

/// <summary>Builds ClientHello bytes from a <see cref="HelloModel"/>, and frames them into TLS records.</summary>
public static class ClientHelloBuilder
{
    /// <summary>The ClientHello body (RFC 8446 §4.1.2), without the handshake header.</summary>
    public static byte[] Body(HelloModel model)
    {
        byte[] body = Wire.Concat(
            Wire.U16(model.LegacyVersion),                  // legacy_version
            model.Random,                                   // random[32]
            Wire.U8Vector(model.SessionId),                 // legacy_session_id<0..32>
            Wire.U16Vector(Wire.U16s(model.CipherSuites)),  // cipher_suites<2..2^16-2>
            Wire.U8Vector(model.CompressionMethods));       // legacy_compression_methods<1..2^8-1>
        if (model.Extensions is null)
        {
            return body;
        }

        byte[] extensions = Wire.Concat(model.Extensions
            .Select(e => Wire.Concat(Wire.U16(e.Type), Wire.U16Vector(e.Data))) // extension_type, extension_data<0..2^16-1>
            .ToArray());
        return Wire.Concat(body, Wire.U16Vector(extensions));                   // extensions<8..2^16-1>
    }

    /// <summary>The handshake message: msg_type client_hello(1), uint24 length, body (RFC 8446 §4).</summary>
    public static byte[] Handshake(byte[] body) => Wire.Concat([0x01], Wire.U24(body.Length), body);

    public static byte[] Handshake(HelloModel model) => Handshake(Body(model));

    /// <summary>One TLSPlaintext record: type, legacy_record_version, uint16 length, fragment (RFC 8446 §5.1).</summary>
    public static byte[] Record(byte[] fragment, ushort version = 0x0301, byte type = 0x16) =>
        Wire.Concat([type], Wire.U16(version), Wire.U16(fragment.Length), fragment);

    /// <summary>Frames a handshake stream into records cut at the given fragment sizes (the last takes the rest).</summary>
    public static byte[] Records(byte[] handshake, IEnumerable<int> fragmentSizes, ushort version = 0x0301)
    {
        var output = new List<byte>();
        int position = 0;
        foreach (int size in fragmentSizes)
        {
            if (position >= handshake.Length)
            {
                break;
            }

            int take = Math.Min(size, handshake.Length - position);
            output.AddRange(Record(handshake[position..(position + take)], version));
            position += take;
        }

        if (position < handshake.Length)
        {
            output.AddRange(Record(handshake[position..], version));
        }

        return output.ToArray();
    }

    /// <summary>A whole hello in one record.</summary>
    public static byte[] Build(HelloModel model) => Record(Handshake(model), model.RecordVersion);

    /// <summary>A typical modern hello for example.com with h2 and http/1.1.</summary>
    public static HelloModel Typical(string host = "example.com") => new()
    {
        SessionId = new byte[32],
        CipherSuites = [0x1301, 0x1302, 0x1303, 0xC02B, 0xC02F],
        Extensions =
        [
            Ext.ServerName(host),
            Ext.SupportedGroups(0x001D, 0x0017),
            Ext.EcPointFormats(0),
            Ext.SignatureAlgorithms(0x0403, 0x0804, 0x0401),
            Ext.Alpn("h2", "http/1.1"),
            Ext.SupportedVersions(0x0304, 0x0303),
            Ext.KeyShare((0x001D, 32)),
        ],
    };

    /// <summary>Re-frames a captured or built single- or multi-record hello: extracts the handshake stream and cuts it again.</summary>
    public static byte[] HandshakeStream(byte[] records)
    {
        var stream = new List<byte>();
        int position = 0;
        while (position + 5 <= records.Length)
        {
            int length = (records[position + 3] << 8) | records[position + 4];
            stream.AddRange(records.AsSpan(position + 5, length).ToArray());
            position += 5 + length;
        }

        return stream.ToArray();
    }
}
