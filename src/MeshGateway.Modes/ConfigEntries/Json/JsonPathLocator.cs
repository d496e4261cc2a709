using System.Globalization;
using System.Text.Json;

namespace MeshGateway.Modes.ConfigEntries.Json;

/// <summary>
/// Finds where the value at a simple path (<c>$.ConfigEntries[2].Kind</c>: property names and array indexes) starts
/// in a JSON document, so an error found after deserialization can name its line and column. Property names match
/// case-insensitively, as the reader's shapes do (Go's <c>encoding/json</c>).
/// </summary>
internal static class JsonPathLocator
{
    private static readonly JsonReaderOptions Options = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    /// <summary>The byte offset of the value at <paramref name="path"/>; false when the path leads nowhere.</summary>
    public static bool TryFind(ReadOnlySpan<byte> json, string path, out int offset)
    {
        offset = 0;
        var reader = new Utf8JsonReader(json, Options);
        try
        {
            if (!reader.Read())
            {
                return false;
            }

            int i = path.StartsWith('$') ? 1 : 0;
            while (i < path.Length)
            {
                if (path[i] == '.')
                {
                    int end = path.IndexOfAny(['.', '['], i + 1);
                    end = end < 0 ? path.Length : end;
                    if (!StepIntoProperty(ref reader, path.AsSpan(i + 1, end - i - 1)))
                    {
                        return false;
                    }

                    i = end;
                }
                else if (path[i] == '[')
                {
                    int end = path.IndexOf(']', i);
                    if (end < 0
                        || !int.TryParse(path.AsSpan(i + 1, end - i - 1), NumberStyles.None, CultureInfo.InvariantCulture, out int index)
                        || !StepIntoElement(ref reader, index))
                    {
                        return false;
                    }

                    i = end + 1;
                }
                else
                {
                    return false;
                }
            }

            offset = (int)reader.TokenStartIndex;
            return true;
        }
        catch (JsonException)
        {
            // The document is malformed after the part already read: that error is reported on its own.
            return false;
        }
    }

    /// <summary>
    /// The path one step shorter (<c>$.a.b[1]</c> → <c>$.a.b</c> → <c>$.a</c> → <c>$</c>), for a value that is absent:
    /// its nearest enclosing value is where the error is shown. False for <c>$</c>.
    /// </summary>
    public static bool TryParent(string path, out string parent)
    {
        int cut = path.LastIndexOfAny(['.', '[']);
        parent = cut <= 0 ? path : path[..cut];
        return cut > 0;
    }

    private static bool StepIntoProperty(ref Utf8JsonReader reader, ReadOnlySpan<char> name)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            bool match = name.Equals(reader.GetString(), StringComparison.OrdinalIgnoreCase);
            reader.Read();
            if (match)
            {
                return true;
            }

            reader.Skip();
        }

        return false;
    }

    private static bool StepIntoElement(ref Utf8JsonReader reader, int index)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return false;
        }

        for (int i = 0; reader.Read() && reader.TokenType != JsonTokenType.EndArray; i++)
        {
            if (i == index)
            {
                return true;
            }

            reader.Skip();
        }

        return false;
    }
}
