using System.Globalization;

namespace MeshGateway.Modes.ConfigEntries.Hcl;

/// <summary>
/// Finds the HCL value behind a System.Text.Json path (<c>$.service.proxy.upstreams[0].mesh_gateway</c>,
/// <c>$['odd key']</c>) in the JSON that <see cref="HclJsonWriter"/> wrote, so a value of the wrong type is reported
/// at its HCL line and column.
/// </summary>
internal static class HclPathFinder
{
    /// <summary>The node at <paramref name="path"/> and the key that holds it; false when the path does not lead to one.</summary>
    public static bool TryFind(HclNode root, string path, out HclNode node, out string key, out int count)
    {
        node = root;
        key = "";
        count = 1;
        List<HclItem>? group = null;
        int i = path.StartsWith('$') ? 1 : 0;
        while (i < path.Length)
        {
            if (path[i] == '.')
            {
                int end = path.IndexOfAny(['.', '['], i + 1);
                end = end < 0 ? path.Length : end;
                if (!Step(ref node, ref group, path[(i + 1)..end], ref key))
                {
                    return false;
                }

                i = end;
            }
            else if (path[i] == '[' && i + 1 < path.Length && path[i + 1] == '\'')
            {
                int end = path.IndexOf("']", i + 2, StringComparison.Ordinal);
                if (end < 0 || !Step(ref node, ref group, path[(i + 2)..end], ref key))
                {
                    return false;
                }

                i = end + 2;
            }
            else if (path[i] == '[')
            {
                int end = path.IndexOf(']', i);
                if (end < 0 || !int.TryParse(path.AsSpan(i + 1, end - i - 1), NumberStyles.None, CultureInfo.InvariantCulture, out int index))
                {
                    return false;
                }

                if (group is not null && HclJsonWriter.IsBlockList(group) && index < group.Count)
                {
                    node = group[index].Value;
                }
                else if (group is not null && HclJsonWriter.IsBlockList(group))
                {
                    return false;
                }
                else if (node.Kind == HclNodeKind.List && index < node.Elements.Count)
                {
                    node = node.Elements[index];
                }
                else
                {
                    return false;
                }

                group = null;
                i = end + 1;
            }
            else
            {
                return false;
            }
        }

        count = group is not null && HclJsonWriter.IsBlockList(group) ? group.Count : 1;
        return true;
    }

    private static bool Step(ref HclNode node, ref List<HclItem>? group, string name, ref string key)
    {
        if (group is not null && HclJsonWriter.IsBlockList(group))
        {
            // A property of a list: the path is already wrong.
            return false;
        }

        if (node.Kind != HclNodeKind.Object)
        {
            return false;
        }

        group = HclJsonWriter.Group(node).Find(g => string.Equals(g[0].Key, name, StringComparison.OrdinalIgnoreCase));
        if (group is null)
        {
            return false;
        }

        key = group[0].Key;
        node = group[0].Value;
        return true;
    }
}
