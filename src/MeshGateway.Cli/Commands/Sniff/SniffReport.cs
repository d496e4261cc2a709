using System.Globalization;
using System.Text;
using System.Text.Json;
using MeshGateway.ClientHello;

namespace MeshGateway.Cli.Commands.Sniff;

/// <summary>
/// The JSON contract of <c>meshgw sniff</c>, keys exactly and in this order:
/// <c>{"status","reason","sni","alpn","versions","ja3","ja4","ech","grease","records","length"}</c>, then only when
/// they apply: <c>"trailing_dot": true</c> (ok, the host_name ended in one dot, which <c>"sni"</c> leaves out) and
/// <c>"bytes_needed": N</c> (need-more-data: the least number of further bytes the parser knows are missing).
/// </summary>
/// <remarks>
/// <c>"sni"</c> is the host_name bytes as sent, one character per byte, so a byte outside printable ASCII (which only
/// <c>--lenient</c> lets through) appears as its JSON escape <c>\u00NN</c>, never as a replacement character.
/// </remarks>
internal static class SniffReport
{
    /// <summary>Renders one parse as the JSON object.</summary>
    public static string ToJson(ClientHelloStatus status, in ClientHelloParserState state, in ClientHelloInfo hello)
    {
        bool done = status == ClientHelloStatus.Done;
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("status", StatusName(status));
            if (status == ClientHelloStatus.Malformed)
            {
                json.WriteString("reason", KebabCase(state.MalformedReason.ToString()));
            }
            else
            {
                json.WriteNull("reason");
            }

            WriteStringOrNull(json, "sni", done ? ServerNameWithoutTrailingDot(hello) : null);
            json.WriteStartArray("alpn");
            if (done)
            {
                foreach (string protocol in hello.GetApplicationProtocols())
                {
                    json.WriteStringValue(protocol);
                }
            }

            json.WriteEndArray();
            json.WriteStartArray("versions");
            if (done)
            {
                WriteVersions(json, hello);
            }

            json.WriteEndArray();
            WriteStringOrNull(json, "ja3", done ? hello.GetJa3Hash() : null);
            WriteStringOrNull(json, "ja4", done ? hello.GetJa4() : null);
            json.WriteBoolean("ech", done && hello.Ech != ClientHelloEchKind.None);
            json.WriteBoolean("grease", done && hello.GreaseSeen);
            json.WriteNumber("records", done ? hello.RecordCount : state.RecordsRead);
            json.WriteNumber("length", done ? hello.Length : 0);
            if (done && (hello.ServerNameTraits & ServerNameTraits.TrailingDot) != 0)
            {
                json.WriteBoolean("trailing_dot", true);
            }

            if (status == ClientHelloStatus.NeedMoreData && state.BytesNeeded > 0)
            {
                json.WriteNumber("bytes_needed", state.BytesNeeded);
            }

            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    // The name as one char per wire byte (Latin-1 is that mapping), without the one trailing dot a fully qualified
    // name carries: the JSON writer escapes every char outside printable ASCII, so the output shows the exact bytes.
    private static string? ServerNameWithoutTrailingDot(in ClientHelloInfo hello)
    {
        if (!hello.HasServerName)
        {
            return null;
        }

        ReadOnlySpan<byte> name = hello.ServerName;
        if ((hello.ServerNameTraits & ServerNameTraits.TrailingDot) != 0)
        {
            name = name[..^1];
        }

        return Encoding.Latin1.GetString(name);
    }

    /// <summary>The status names of the contract.</summary>
    public static string StatusName(ClientHelloStatus status) => status switch
    {
        ClientHelloStatus.Done => "ok",
        ClientHelloStatus.NeedMoreData => "need-more-data",
        ClientHelloStatus.NotTls => "not-tls",
        ClientHelloStatus.NotClientHello => "not-client-hello",
        ClientHelloStatus.Malformed => "malformed",
        ClientHelloStatus.TooLarge => "too-large",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    /// <summary>"HostNameTrailingDot" → "host-name-trailing-dot".</summary>
    public static string KebabCase(string name)
    {
        var builder = new StringBuilder(name.Length + 8);
        for (int i = 0; i < name.Length; i++)
        {
            char c = name[i];
            if (char.IsUpper(c))
            {
                bool boundary = i > 0 && (char.IsLower(name[i - 1]) || char.IsDigit(name[i - 1])
                    || (i + 1 < name.Length && char.IsLower(name[i + 1]) && char.IsUpper(name[i - 1])));
                if (boundary)
                {
                    builder.Append('-');
                }

                builder.Append(char.ToLowerInvariant(c));
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    /// <summary>"1.3", "1.2", "1.1", "1.0", "ssl3", "ssl2", or "0x...." for anything else.</summary>
    public static string VersionName(ushort version) => version switch
    {
        0x0304 => "1.3",
        0x0303 => "1.2",
        0x0302 => "1.1",
        0x0301 => "1.0",
        0x0300 => "ssl3",
        0x0002 => "ssl2",
        _ => "0x" + version.ToString("x4", CultureInfo.InvariantCulture),
    };

    // supported_versions without GREASE, in the client's order; else the legacy version.
    private static void WriteVersions(Utf8JsonWriter json, in ClientHelloInfo hello)
    {
        bool any = false;
        foreach (ushort version in hello.SupportedVersions)
        {
            if ((version & 0x0F0F) == 0x0A0A && (version >> 8) == (version & 0xFF))
            {
                continue;
            }

            json.WriteStringValue(VersionName(version));
            any = true;
        }

        if (!any)
        {
            json.WriteStringValue(VersionName(hello.LegacyVersion));
        }
    }

    private static void WriteStringOrNull(Utf8JsonWriter json, string name, string? value)
    {
        if (value is null)
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteString(name, value);
        }
    }
}
