using System.Buffers;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using MeshGateway.Modes.ConfigEntries.Json;

namespace MeshGateway.Modes.ConfigEntries;

/// <summary>
/// Reads Consul <c>proxy-defaults</c> and <c>service-defaults</c> config entries and proxy registrations from one
/// JSON document (System.Text.Json, source-generated), in the HTTP API form (<c>MeshGateway: {Mode}</c>) or the
/// agent-configuration form (<c>mesh_gateway: {mode}</c>, snake_case). Every invalid entry is reported, naming the
/// entry and the field; the read does not stop at the first error. The document's shape is in <c>docs/modes.md</c>:
/// <code>
/// { "Datacenter": "dc1", "Partition": "default",
///   "ConfigEntries": [ { "Kind": "proxy-defaults", "Name": "global", "MeshGateway": { "Mode": "local" } } ],
///   "config_entries": { "bootstrap": [ ... ] },
///   "Services": [ { "Name": "web", "Connect": { "SidecarService": { "Proxy": { "Upstreams": [ ... ] } } } } ],
///   "service": { "name": "web", "connect": { "sidecar_service": { "proxy": { "upstreams": [ ... ] } } } } }
/// </code>
/// </summary>
public static class ConsulConfigReader
{
    /// <summary>Reads a document from UTF-8 JSON.</summary>
    /// <param name="utf8Json">The document.</param>
    /// <returns>The catalog, or every error found.</returns>
    public static ConsulConfigReadResult Read(ReadOnlySpan<byte> utf8Json)
    {
        // Reject invalid UTF-8 up front: System.Text.Json checks string contents only when they are read.
        if (!Utf8.IsValid(utf8Json))
        {
            return Failed(new ConsulConfigError("document", "", $"the document is not valid UTF-8 (byte {FirstInvalidByte(utf8Json)})"));
        }

        EntriesFileJson? file;
        try
        {
            file = JsonSerializer.Deserialize(utf8Json, ConsulJsonContext.Default.EntriesFileJson);
        }
        catch (JsonException exception)
        {
            // Malformed JSON or a value of the wrong shape: the reader cannot go on, so this is the only error.
            string where = exception.Path ?? "$";
            string line = exception.LineNumber is long l ? $" (line {l + 1}, byte {exception.BytePositionInLine + 1})" : "";
            return Failed(new ConsulConfigError("document", where, "invalid JSON" + line + ": " + FirstSentence(exception.Message)));
        }

        if (file is null)
        {
            return Failed(new ConsulConfigError("document", "", "expected a JSON object, found null"));
        }

        return new ConfigDocumentConverter().Convert(file);
    }

    /// <summary>Reads a document from JSON text.</summary>
    /// <param name="json">The document.</param>
    /// <returns>The catalog, or every error found.</returns>
    public static ConsulConfigReadResult Read(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return Read(Encoding.UTF8.GetBytes(json));
    }

    private static ConsulConfigReadResult Failed(ConsulConfigError error) => new(null, [error]);

    private static int FirstInvalidByte(ReadOnlySpan<byte> utf8)
    {
        int offset = 0;
        while (Rune.DecodeFromUtf8(utf8[offset..], out _, out int consumed) == OperationStatus.Done)
        {
            offset += consumed;
        }

        return offset;
    }

    private static string FirstSentence(string message)
    {
        int end = message.IndexOf(". ", StringComparison.Ordinal);
        return end < 0 ? message : message[..(end + 1)];
    }
}
