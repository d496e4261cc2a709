using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using MeshGateway.Naming;

namespace MeshGateway.Cli.Commands.Sni;

/// <summary>The JSON that <c>meshgw sni parse</c> prints: keys exactly as the CLI contract names them, in that order.</summary>
internal static class SniJson
{
    // Names are printed as they are (a '+' stays '+'); the output is not embedded in HTML.
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Format(ConsulSniName name) => Write(writer =>
    {
        writer.WriteString("kind", Kind(name.Kind));
        WriteNullable(writer, "service", name.Service);
        WriteNullable(writer, "subset", name.Subset);
        WriteNullable(writer, "namespace", name.Namespace);
        WriteNullable(writer, "partition", name.Partition);
        WriteNullable(writer, "datacenter", name.Datacenter);
        WriteNullable(writer, "peer", name.Peer);
        WriteNullable(writer, "query", name.Query);
        writer.WriteString("trustDomain", name.TrustDomain);
    });

    public static string Error(string message) => Write(writer => writer.WriteString("error", message));

    public static string Kind(ConsulSniKind kind) => kind switch
    {
        ConsulSniKind.Service => "service",
        ConsulSniKind.Gateway => "gateway",
        ConsulSniKind.PreparedQuery => "query",
        ConsulSniKind.Peered => "peered",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    private static void WriteNullable(Utf8JsonWriter writer, string key, string? value)
    {
        if (value is null)
        {
            writer.WriteNull(key);
        }
        else
        {
            writer.WriteString(key, value);
        }
    }

    private static string Write(Action<Utf8JsonWriter> body)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, Options))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
