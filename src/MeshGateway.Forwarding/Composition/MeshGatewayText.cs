using System.Globalization;
using System.Text;

namespace MeshGateway.Forwarding;

/// <summary>Values quoted into configuration messages: escaped, so a hostile value cannot forge a line or a quote.</summary>
internal static class MeshGatewayText
{
    /// <summary><paramref name="value"/> in double quotes, escaped as a JSON string would be.</summary>
    public static string Quote(string? value) => value is null ? "null" : $"\"{Escape(value)}\"";

    /// <summary>Escapes quotes, backslashes and control characters (<c>\n</c>, <c>\u001B</c>, …).</summary>
    public static string Escape(ReadOnlySpan<char> value)
    {
        var text = new StringBuilder(value.Length);
        foreach (char c in value)
        {
            _ = c switch
            {
                '"' => text.Append("\\\""),
                '\\' => text.Append("\\\\"),
                '\n' => text.Append("\\n"),
                '\r' => text.Append("\\r"),
                '\t' => text.Append("\\t"),
                _ when char.IsControl(c) || c is '\u2028' or '\u2029' => text.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture)),
                _ => text.Append(c),
            };
        }

        return text.ToString();
    }
}
