using System.Text;

namespace MeshGateway.Modes.ConfigEntries.Hcl;

/// <summary>Turns a byte offset into a 1-based line and a 1-based column counted in characters (Unicode scalars).</summary>
internal static class HclPosition
{
    public static (int Line, int Column) Of(ReadOnlySpan<byte> document, int offset)
    {
        offset = Math.Clamp(offset, 0, document.Length);
        ReadOnlySpan<byte> before = document[..offset];
        int line = before.Count((byte)'\n') + 1;
        int lineStart = before.LastIndexOf((byte)'\n') + 1;
        int column = 1;
        if (lineStart == 0 && before.StartsWith("\uFEFF"u8))
        {
            // A byte order mark is not a character an editor shows.
            lineStart = 3;
        }

        foreach (byte b in before[lineStart..])
        {
            // Count lead bytes only, so a multi-byte character is one column (invalid bytes count one each).
            if ((b & 0xC0) != 0x80)
            {
                column++;
            }
        }

        return (line, column);
    }

    /// <summary>The bytes at <paramref name="offset"/> as a short quoted excerpt for a message.</summary>
    public static string Excerpt(ReadOnlySpan<byte> document, int offset, int length)
    {
        ReadOnlySpan<byte> slice = document.Slice(offset, Math.Min(length, document.Length - offset));
        return Encoding.UTF8.GetString(slice);
    }
}
