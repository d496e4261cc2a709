using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MeshGateway.Modes.Tests.ConfigEntries.Hcl;

/// <summary>
/// Writes a JSON document as HCL 1 in a style picked by a seed: indentation (none, spaces, tabs), objects as
/// <c>key { }</c> or <c>key = { }</c>, lists of objects as <c>[ { }, ]</c> or repeated blocks, trailing commas,
/// comments. Every style means the same document to Consul.
/// </summary>
internal sealed class JsonToHcl
{
    private static readonly string[] ListKeys = ["upstreams", "checks", "services", "overrides", "bootstrap", "ConfigEntries"];
    private readonly Random _random;
    private readonly string _indent;
    private readonly StringBuilder _text = new();

    private JsonToHcl(int seed)
    {
        _random = new Random(seed);
        _indent = _random.Next(3) switch { 0 => "", 1 => "  ", _ => "\t" };
    }

    public static string Convert(string json, int seed)
    {
        var writer = new JsonToHcl(seed);
        writer.Body(JsonNode.Parse(json)!.AsObject(), 0);
        return writer._text.ToString();
    }

    private bool Coin() => _random.Next(2) == 0;

    private void Line(int depth, string text) => _text.Append(string.Concat(Enumerable.Repeat(_indent, depth))).Append(text).Append('\n');

    private void Body(JsonObject body, int depth)
    {
        foreach ((string key, JsonNode? value) in body)
        {
            if (_random.Next(6) == 0)
            {
                Line(depth, _random.Next(3) switch { 0 => "# a comment", 1 => "// a comment", _ => "/* a comment */" });
            }

            string name = Key(key);
            switch (value)
            {
                case JsonObject child:
                    Line(depth, Coin() ? name + " {" : name + " = {");
                    Body(child, depth + 1);
                    Line(depth, "}");
                    break;
                case JsonArray list when list.Count > 0 && list.All(e => e is JsonObject)
                    && (list.Count > 1 || ListKeys.Contains(key, StringComparer.OrdinalIgnoreCase)) && Coin():
                    foreach (JsonNode? element in list)
                    {
                        Line(depth, name + " {");
                        Body(element!.AsObject(), depth + 1);
                        Line(depth, "}");
                    }

                    break;
                default:
                    _text.Append(string.Concat(Enumerable.Repeat(_indent, depth))).Append(name).Append(" = ");
                    Value(value, depth);
                    _text.Append('\n');
                    break;
            }
        }
    }

    private void Value(JsonNode? value, int depth)
    {
        switch (value)
        {
            case JsonObject child:
                _text.Append("{\n");
                Body(child, depth + 1);
                _text.Append(string.Concat(Enumerable.Repeat(_indent, depth))).Append('}');
                break;
            case JsonArray list:
                _text.Append('[');
                for (int i = 0; i < list.Count; i++)
                {
                    _text.Append(i == 0 ? "\n" : ",\n").Append(string.Concat(Enumerable.Repeat(_indent, depth + 1)));
                    Value(list[i], depth + 1);
                }

                _text.Append(list.Count > 0 && Coin() ? ",\n" : "\n").Append(string.Concat(Enumerable.Repeat(_indent, depth))).Append(']');
                break;
            case JsonValue scalar when scalar.GetValueKind() == JsonValueKind.String:
                _text.Append(Quote(scalar.GetValue<string>()));
                break;
            case JsonValue scalar when scalar.GetValueKind() is JsonValueKind.True or JsonValueKind.False:
                _text.Append(scalar.GetValue<bool>() ? "true" : "false");
                break;
            case JsonValue scalar:
                _text.Append(scalar.ToJsonString());
                break;
            default:
                throw new InvalidOperationException("HCL has no null");
        }
    }

    private static string Key(string key) =>
        key.Length > 0 && (char.IsAsciiLetter(key[0]) || key[0] == '_') && key.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.')
            ? key
            : Quote(key);

    private static string Quote(string text)
    {
        var quoted = new StringBuilder("\"");
        foreach (char c in text)
        {
            quoted.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\t' => "\\t",
                < ' ' => "\\u" + ((int)c).ToString("x4", CultureInfo.InvariantCulture),
                _ => c.ToString(),
            });
        }

        return quoted.Append('"').ToString();
    }
}
