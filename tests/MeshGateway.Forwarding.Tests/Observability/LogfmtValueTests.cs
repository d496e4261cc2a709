using System.Globalization;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using MeshGateway.Forwarding;

namespace MeshGateway.Forwarding.Tests.Observability;

/// <summary>No client byte can add a line or a field to a key=value log line (issue 14 item 3).</summary>
public class LogfmtValueTests
{
    [Theory]
    [InlineData("web.default.dc1.internal.td.consul")]
    [InlineData("a-b_c:443")]
    [InlineData("[::1]:8443")]
    public void Plain_values_are_written_as_they_are_without_allocating(string value) =>
        Assert.Same(value, LogfmtValue.Format(value));

    [Theory]
    [InlineData("x\nclosed 1.2.3.4:5 sni=a route=FORGED", "\"x\\x0Aclosed 1.2.3.4:5 sni=a route=FORGED\"")]
    [InlineData("a b", "\"a b\"")]
    [InlineData("a=b", "\"a=b\"")]
    [InlineData("say \"hi\"", "\"say \\\"hi\\\"\"")]
    [InlineData("back\\slash", "\"back\\\\slash\"")]
    [InlineData("\r\t\u007f", "\"\\x0D\\x09\\x7F\"")]
    [InlineData("caf\u00e9", "\"caf\\xC3\\xA9\"")]
    [InlineData("\ufffd", "\"\\xEF\\xBF\\xBD\"")]
    [InlineData("", "\"\"")]
    public void Values_with_specials_are_quoted_with_escapes(string value, string expected) =>
        Assert.Equal(expected, LogfmtValue.Format(value));

    [Fact]
    public void Null_is_the_missing_marker() => Assert.Equal("-", LogfmtValue.Format(null));

    [FsCheck.Xunit.Property]
    public Property Any_value_is_one_printable_field_that_decodes_to_its_utf8_bytes(string? value)
    {
        value ??= string.Empty;
        string formatted = LogfmtValue.Format(value);
        bool printable = formatted.All(c => c is >= ' ' and < '\x7F');
        bool oneField = formatted.StartsWith('"') ? formatted.Length >= 2 && formatted.EndsWith('"') && Unescape(formatted) is not null
            : !formatted.Any(c => c is ' ' or '=' or '"' or '\\');
        byte[] decoded = formatted.StartsWith('"') ? Unescape(formatted) ?? [] : Encoding.ASCII.GetBytes(formatted);
        byte[] expected = Encoding.UTF8.GetBytes(value); // lone surrogates become U+FFFD, as the writer does
        return (printable && oneField && decoded.SequenceEqual(expected)).Label($"{formatted}");
    }

    /// <summary>Reads a quoted value back; null when an unescaped quote ends it early.</summary>
    private static byte[]? Unescape(string quoted)
    {
        var bytes = new List<byte>();
        for (int i = 1; i < quoted.Length - 1; i++)
        {
            char c = quoted[i];
            if (c == '"')
            {
                return null;
            }

            if (c != '\\')
            {
                bytes.Add((byte)c);
                continue;
            }

            char next = quoted[++i];
            if (next == 'x')
            {
                bytes.Add(byte.Parse(quoted.AsSpan(i + 1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                i += 2;
            }
            else
            {
                bytes.Add((byte)next);
            }
        }

        return [.. bytes];
    }
}
