using System.Buffers;
using System.Text.Json;

namespace MeshGateway.Modes.ConfigEntries.Hcl;

/// <summary>
/// Writes an HCL 1 tree as the JSON document the JSON reader takes, following how HCL 1 decodes into Consul's
/// types: a block is an object; a key repeated with blocks is a list of them; a single block under a key Consul
/// decodes into a list (<c>upstreams</c>, <c>checks</c>, <c>services</c>, <c>Overrides</c>, <c>bootstrap</c>,
/// <c>ConfigEntries</c>) is a list of one (hcl v1 gives lists, and Consul's decoder unwraps them only for non-list
/// fields). A key repeated with anything else is an error.
/// </summary>
internal static class HclJsonWriter
{
    private static readonly string[] ListKeys = ["upstreams", "checks", "services", "overrides", "bootstrap", "ConfigEntries"];

    /// <summary>Writes <paramref name="root"/>; false with the duplicate key's offset and message when a key repeats.</summary>
    public static bool TryWrite(HclNode root, ReadOnlySpan<byte> document, IBufferWriter<byte> output, out HclSyntaxError error)
    {
        using var writer = new Utf8JsonWriter(output, new JsonWriterOptions { SkipValidation = false, MaxDepth = 1024 });
        error = default;
        if (!TryWriteValue(writer, root, document, ref error))
        {
            return false;
        }

        writer.Flush();
        return true;
    }

    /// <summary>The items of an object grouped by key (case-insensitively, as the JSON reader matches keys), in first-seen order.</summary>
    public static List<List<HclItem>> Group(HclNode node)
    {
        var groups = new List<List<HclItem>>();
        var byKey = new Dictionary<string, List<HclItem>>(StringComparer.OrdinalIgnoreCase);
        foreach (HclItem item in node.Items)
        {
            if (!byKey.TryGetValue(item.Key, out List<HclItem>? group))
            {
                group = [];
                byKey.Add(item.Key, group);
                groups.Add(group);
            }

            group.Add(item);
        }

        return groups;
    }

    /// <summary>True when the group is written as a JSON array of its blocks.</summary>
    public static bool IsBlockList(List<HclItem> group) =>
        group.TrueForAll(i => i.Value.Kind == HclNodeKind.Object)
        && (group.Count > 1 || Array.Exists(ListKeys, k => string.Equals(k, group[0].Key, StringComparison.OrdinalIgnoreCase)));

    private static bool TryWriteValue(Utf8JsonWriter writer, HclNode node, ReadOnlySpan<byte> document, ref HclSyntaxError error)
    {
        switch (node.Kind)
        {
            case HclNodeKind.String:
                writer.WriteStringValue(node.Text);
                return true;
            case HclNodeKind.Number:
                writer.WriteRawValue(node.Text, skipInputValidation: false);
                return true;
            case HclNodeKind.Bool:
                writer.WriteBooleanValue(node.Bool);
                return true;
            case HclNodeKind.List:
                writer.WriteStartArray();
                foreach (HclNode element in node.Elements)
                {
                    if (!TryWriteValue(writer, element, document, ref error))
                    {
                        return false;
                    }
                }

                writer.WriteEndArray();
                return true;
        }

        writer.WriteStartObject();
        foreach (List<HclItem> group in Group(node))
        {
            writer.WritePropertyName(group[0].Key);
            if (IsBlockList(group))
            {
                writer.WriteStartArray();
                foreach (HclItem item in group)
                {
                    if (!TryWriteValue(writer, item.Value, document, ref error))
                    {
                        return false;
                    }
                }

                writer.WriteEndArray();
                continue;
            }

            if (group.Count > 1)
            {
                (int line, int column) = HclPosition.Of(document, group[0].KeyOffset);
                error = new HclSyntaxError(group[1].KeyOffset, $"duplicate key '{group[1].Key}' (first set at line {line}, column {column})");
                return false;
            }

            if (!TryWriteValue(writer, group[0].Value, document, ref error))
            {
                return false;
            }
        }

        writer.WriteEndObject();
        return true;
    }
}
