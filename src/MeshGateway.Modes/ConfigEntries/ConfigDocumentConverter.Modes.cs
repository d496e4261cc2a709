using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using MeshGateway.Modes.ConfigEntries.Json;

namespace MeshGateway.Modes.ConfigEntries;

/// <summary>Reading <c>MeshGateway { Mode }</c> blocks in either spelling, with Consul's error for an invalid mode.</summary>
internal sealed partial class ConfigDocumentConverter
{
    /// <summary>Reads <c>MeshGateway.Mode</c>, or <c>mesh_gateway.mode</c> when the CamelCase block is absent.</summary>
    private MeshGatewayMode ReadMode(MeshGatewayJson? camel, MeshGatewayJson? snake, string label, string prefix)
    {
        bool useSnake = camel is null;
        MeshGatewayJson? block = camel ?? snake;
        string field = prefix + (useSnake ? "mesh_gateway.mode" : "MeshGateway.Mode");
        return block?.Mode is { } value ? ParseModeValue(value, label, field) : MeshGatewayMode.Default;
    }

    /// <summary>proxy-defaults' opaque <c>Config["mesh_gateway"]</c>, honoured when the typed field is empty (Consul <c>agent/configentry/resolve.go</c>).</summary>
    private MeshGatewayMode ReadOpaqueMode(JsonElement? config, string label, bool snake)
    {
        if (config is not { ValueKind: JsonValueKind.Object } map
            || !map.TryGetProperty("mesh_gateway", out JsonElement block)
            || block.ValueKind != JsonValueKind.Object)
        {
            return MeshGatewayMode.Default;
        }

        string configName = snake ? "config" : "Config";
        foreach (JsonProperty property in block.EnumerateObject())
        {
            // mapstructure matches the key case-insensitively.
            if (string.Equals(property.Name, "mode", StringComparison.OrdinalIgnoreCase))
            {
                return ParseModeValue(property.Value, label, configName + ".mesh_gateway." + property.Name);
            }
        }

        return MeshGatewayMode.Default;
    }

    private MeshGatewayMode ParseModeValue(JsonElement value, string label, string field)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Null:
                return MeshGatewayMode.Default;
            case JsonValueKind.String:
                return ParseModeString(value, label, field);
            default:
                Error(label, field, $"expected a string (\"\", \"none\", \"local\" or \"remote\"), found {Describe(value.ValueKind)} {value.GetRawText()}");
                return MeshGatewayMode.Default;
        }
    }

    private MeshGatewayMode ParseModeString(JsonElement value, string label, string field)
    {
        // The token as written, without its quotes. Without escapes it is the value itself: compare the bytes.
        ReadOnlySpan<byte> raw = JsonMarshal.GetRawUtf8Value(value)[1..^1];
        if (raw.IndexOf((byte)'\\') < 0)
        {
            if (MeshGatewayModeParser.TryParse(raw, out MeshGatewayMode plain))
            {
                return plain;
            }

            Error(label, field, MeshGatewayModeParser.InvalidModeMessage(raw));
            return MeshGatewayMode.Default;
        }

        // With escapes, unescape. An escaped lone surrogate (e.g. "\ud800") has no UTF-16 form (Go would put
        // U+FFFD there); such a value is invalid anyway, so quote the token as written.
        string? text = TryGetString(value);
        if (text is not null && MeshGatewayModeParser.TryParse(text.AsSpan(), out MeshGatewayMode unescaped))
        {
            return unescaped;
        }

        Error(label, field, text is null ? MeshGatewayModeParser.InvalidModeMessage(raw) : MeshGatewayModeParser.InvalidModeMessage(text));
        return MeshGatewayMode.Default;
    }

    private static string? TryGetString(JsonElement value)
    {
        try
        {
            return value.GetString();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }
}
