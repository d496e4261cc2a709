using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Text.Unicode;
using MeshGateway.Modes.ConfigEntries.Hcl;
using MeshGateway.Modes.ConfigEntries.Json;

namespace MeshGateway.Modes.ConfigEntries;

/// <summary>
/// Reads Consul <c>proxy-defaults</c> and <c>service-defaults</c> config entries and proxy registrations from JSON
/// (System.Text.Json, source-generated) or HCL 1 (converted to the same JSON, so both share every check and
/// message), in the HTTP API form (<c>MeshGateway: {Mode}</c>) or the agent-configuration form
/// (<c>mesh_gateway: {mode}</c>, snake_case). A document holds one config entry (a top-level <c>Kind</c>, as
/// <c>consul config write</c> takes), one service registration (<c>service { … }</c>, or a registration body with a
/// top-level service <c>Kind</c> such as <c>connect-proxy</c>), or the combined form below; anything else is an
/// error. Every invalid entry is reported, naming the entry and the field; the read does not stop at the first
/// error. The shapes are in <c>docs/modes.md</c>:
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
    /// <summary>The largest document read (4 MiB); Consul configuration files are a few kilobytes.</summary>
    public const int MaxDocumentBytes = 4 * 1024 * 1024;

    /// <summary>Reads a document, JSON or HCL (decided by content, see <see cref="ConsulConfigFormat.Detect"/>).</summary>
    /// <param name="utf8Json">The document (UTF-8).</param>
    /// <returns>The catalog, or every error found.</returns>
    public static ConsulConfigReadResult Read(ReadOnlySpan<byte> utf8Json) => Read(utf8Json, ConsulConfigFormat.Detect);

    /// <summary>Reads a document from text, JSON or HCL (decided by content).</summary>
    /// <param name="json">The document.</param>
    /// <returns>The catalog, or every error found.</returns>
    public static ConsulConfigReadResult Read(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return Read(Encoding.UTF8.GetBytes(json));
    }

    /// <summary>Reads one document in the given syntax.</summary>
    /// <param name="content">The document (UTF-8).</param>
    /// <param name="format">Its syntax; <see cref="ConsulConfigFormat.Detect"/> decides by content.</param>
    /// <param name="fileName">The name errors carry (<see cref="ConsulConfigError.FileName"/>); null for none.</param>
    /// <returns>The catalog, or every error found.</returns>
    public static ConsulConfigReadResult Read(ReadOnlySpan<byte> content, ConsulConfigFormat format, string? fileName = null)
    {
        var converter = new ConfigDocumentConverter { FileName = fileName };
        AddDocument(converter, content, format);
        return converter.Build();
    }

    /// <summary>
    /// Reads several documents into one catalog (as Consul merges its configuration files and config entries): every
    /// error of every document is reported under its file name, and an entry or registration given twice is an error.
    /// </summary>
    /// <param name="sources">The documents, in order.</param>
    /// <returns>The merged catalog, or every error found.</returns>
    public static ConsulConfigReadResult Read(IEnumerable<ConsulConfigSource> sources)
    {
        ArgumentNullException.ThrowIfNull(sources);
        var converter = new ConfigDocumentConverter();
        foreach (ConsulConfigSource source in sources)
        {
            ArgumentNullException.ThrowIfNull(source);
            converter.FileName = source.FileName;
            AddDocument(converter, source.Content.Span, source.Format);
        }

        return converter.Build();
    }

    /// <summary>
    /// Reads files into one catalog: <c>.json</c> files as JSON, <c>.hcl</c> files as HCL, others by content. A file
    /// that cannot be read is an error under its name, and the other files are still read.
    /// </summary>
    /// <param name="paths">The files, in order.</param>
    /// <returns>The merged catalog, or every error found.</returns>
    public static ConsulConfigReadResult ReadFiles(IEnumerable<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var converter = new ConfigDocumentConverter();
        foreach (string path in paths)
        {
            ArgumentNullException.ThrowIfNull(path);
            converter.FileName = path;
            byte[] content;
            try
            {
                var info = new FileInfo(path);
                if (info.Exists && info.Length > MaxDocumentBytes)
                {
                    converter.AddError(new ConsulConfigError("document", "", $"the document is larger than {MaxDocumentBytes} bytes"));
                    continue;
                }

                content = File.ReadAllBytes(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
            {
                converter.AddError(new ConsulConfigError("document", "", "cannot read the file: " + e.Message));
                continue;
            }

            AddDocument(converter, content, ConsulConfigSource.FormatOf(path));
        }

        return converter.Build();
    }

    private static void AddDocument(ConfigDocumentConverter converter, ReadOnlySpan<byte> content, ConsulConfigFormat format)
    {
        // Reject invalid UTF-8 up front: System.Text.Json checks string contents only when they are read.
        if (!Utf8.IsValid(content))
        {
            converter.AddError(new ConsulConfigError("document", "", $"the document is not valid UTF-8 (byte {FirstInvalidByte(content)})"));
            return;
        }

        if (content.Length > MaxDocumentBytes)
        {
            converter.AddError(new ConsulConfigError("document", "", $"the document is larger than {MaxDocumentBytes} bytes"));
            return;
        }

        if (format == ConsulConfigFormat.Hcl || (format == ConsulConfigFormat.Detect && LooksLikeHcl(content)))
        {
            AddHcl(converter, content);
            return;
        }

        // System.Text.Json rejects a byte order mark in a span; editors write one, and it is not part of the document.
        AddJson(converter, content.StartsWith("\uFEFF"u8) ? content[3..] : content, hcl: null, hclDocument: default);
    }

    private static void AddHcl(ConfigDocumentConverter converter, ReadOnlySpan<byte> content)
    {
        var json = new ArrayBufferWriter<byte>(Math.Max(256, content.Length * 2));
        if (!HclParser.TryParse(content, out HclNode root, out HclSyntaxError error)
            || !HclJsonWriter.TryWrite(root, content, json, out error))
        {
            (int line, int column) = HclPosition.Of(content, error.Offset);
            converter.AddError(new ConsulConfigError("document", "", error.Message) { Line = line, Column = column });
            return;
        }

        AddJson(converter, json.WrittenSpan, root, content);
    }

    /// <summary>
    /// Reads JSON (or the JSON an HCL document became): a top-level <c>Kind</c> makes it one config entry or one
    /// service registration body; otherwise it must hold at least one of the combined form's keys.
    /// </summary>
    private static void AddJson(ConfigDocumentConverter converter, ReadOnlySpan<byte> json, HclNode? hcl, ReadOnlySpan<byte> hclDocument)
    {
        if (!TryDeserialize(converter, json, ConsulJsonContext.Default.EntriesFileJson, hcl, hclDocument, out EntriesFileJson? file))
        {
            return;
        }

        if (file is null)
        {
            converter.AddError(new ConsulConfigError("document", "", "expected a JSON object, found null"), "$");
        }
        else
        {
            AddObject(converter, file, json, hcl, hclDocument);
        }

        // Every error about a value of this document gets the value's line and column.
        converter.PlaceErrors(hcl is null ? json : hclDocument, hcl);
    }

    private static void AddObject(ConfigDocumentConverter converter, EntriesFileJson file, ReadOnlySpan<byte> json, HclNode? hcl, ReadOnlySpan<byte> hclDocument)
    {
        if (file.Kind is { } kind)
        {
            if (kind is "connect-proxy" or "mesh-gateway" or "terminating-gateway" or "ingress-gateway" or "api-gateway")
            {
                if (TryDeserialize(converter, json, ConsulJsonContext.Default.ServiceJson, hcl, hclDocument, out ServiceJson? service))
                {
                    converter.AddService(service!);
                }
            }
            else if (TryDeserialize(converter, json, ConsulJsonContext.Default.ConfigEntryJson, hcl, hclDocument, out ConfigEntryJson? entry))
            {
                converter.AddEntry(entry!);
            }

            return;
        }

        if (file is { Datacenter: null, Partition: null, ConfigEntries: null, ConfigEntriesBlock: null, Services: null, Service: null })
        {
            converter.AddError(new ConsulConfigError(
                "document",
                "",
                "unrecognised document: expected a config entry (a top-level Kind), a service registration (service { … } or a registration body with a Kind) or the combined form (ConfigEntries, config_entries, Services, service)"),
                "$");
            return;
        }

        converter.Add(file);
    }

    private static bool TryDeserialize<T>(
        ConfigDocumentConverter converter, ReadOnlySpan<byte> json, JsonTypeInfo<T> type, HclNode? hcl, ReadOnlySpan<byte> hclDocument, out T? value)
    {
        try
        {
            value = JsonSerializer.Deserialize(json, type);
            return true;
        }
        catch (JsonException exception)
        {
            // Malformed JSON or a value of the wrong shape: the reader cannot go on with this document.
            value = default;
            converter.AddError(hcl is null ? JsonError(exception) : HclShapeError(exception, hcl, hclDocument));
            return false;
        }
    }

    private static ConsulConfigError JsonError(JsonException exception)
    {
        string where = exception.Path ?? "$";
        string line = exception.LineNumber is long l ? $" (line {l + 1}, byte {exception.BytePositionInLine + 1})" : "";
        return new ConsulConfigError("document", where, "invalid JSON" + line + ": " + FirstSentence(exception.Message));
    }

    /// <summary>A value of the wrong type in an HCL document, at its HCL line and column.</summary>
    private static ConsulConfigError HclShapeError(JsonException exception, HclNode root, ReadOnlySpan<byte> document)
    {
        string path = exception.Path ?? "$";
        string field = path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path;
        if (!HclPathFinder.TryFind(root, path, out HclNode node, out string key, out int count))
        {
            return new ConsulConfigError("document", field, FirstSentence(exception.Message));
        }

        string expected = Expected(exception.Message);
        string found = count > 1 ? $"{count} blocks (only one is allowed)" : node.Describe();
        (int line, int column) = HclPosition.Of(document, node.Offset);
        return new ConsulConfigError("document", field, $"'{key}' must be {expected}, found {found}") { Line = line, Column = column };
    }

    /// <summary>What System.Text.Json wanted, from "The JSON value could not be converted to T."</summary>
    private static string Expected(string message)
    {
        const string Marker = "converted to ";
        int start = message.IndexOf(Marker, StringComparison.Ordinal);
        if (start < 0)
        {
            return "another type";
        }

        string type = message[(start + Marker.Length)..];
        return type.StartsWith("System.String", StringComparison.Ordinal) ? "a string"
            : type.StartsWith("System.Collections.Generic.List", StringComparison.Ordinal) ? "a list"
            : type.StartsWith("MeshGateway.", StringComparison.Ordinal) ? "a block"
            : "another type";
    }

    /// <summary>Consul's HCL reader takes JSON too: a document whose first significant byte opens an object or array is JSON.</summary>
    private static bool LooksLikeHcl(ReadOnlySpan<byte> content)
    {
        int i = HclParser.SkipTrivia(content, content.StartsWith("\uFEFF"u8) ? 3 : 0, out _);

        // Bare JSON scalars (null, 42, "text") stay JSON, as before: HCL documents start with a key.
        return i < content.Length && IsHclKeyStart(content[i]) && !IsJsonLiteral(content[i..]);
    }

    private static bool IsJsonLiteral(ReadOnlySpan<byte> rest)
    {
        int end = 0;
        while (end < rest.Length && (IsHclKeyStart(rest[end]) || rest[end] is (>= (byte)'0' and <= (byte)'9') or (byte)'-' or (byte)'.'))
        {
            end++;
        }

        ReadOnlySpan<byte> word = rest[..end];
        return word.SequenceEqual("null"u8) || word.SequenceEqual("true"u8) || word.SequenceEqual("false"u8);
    }

    private static bool IsHclKeyStart(byte b) => b is (>= (byte)'a' and <= (byte)'z') or (>= (byte)'A' and <= (byte)'Z') or (byte)'_';

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
