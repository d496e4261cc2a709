using System.Text;

namespace MeshGateway.Modes.Tests.Parsing;

/// <summary>Go's <c>strconv.Quote</c> rules, checked on the message suffix (everything after the prefix).</summary>
public class GoQuoteTests
{
    private static string Quote(string text) =>
        MeshGatewayModeParser.InvalidModeMessage(text)[MeshGatewayModeParser.InvalidModeMessagePrefix.Length..];

    private static string Quote(byte[] utf8) =>
        MeshGatewayModeParser.InvalidModeMessage(utf8)[MeshGatewayModeParser.InvalidModeMessagePrefix.Length..];

    [Theory]
    [InlineData("\a\b\f\n\r\t\v", "\"\\a\\b\\f\\n\\r\\t\\v\"")]
    [InlineData("\"", "\"\\\"\"")]
    [InlineData("\\", "\"\\\\\"")]
    [InlineData("'", "\"'\"")]
    public void Named_escapes_quote_and_backslash(string input, string expected) =>
        Assert.Equal(expected, Quote(input));

    [Theory]
    [InlineData("\0", "\"\\x00\"")]
    [InlineData("\u001b", "\"\\x1b\"")]
    [InlineData("\u001f", "\"\\x1f\"")]
    [InlineData("\u007f", "\"\\x7f\"")]
    public void Other_ascii_controls_use_lower_case_hex_bytes(string input, string expected) =>
        Assert.Equal(expected, Quote(input));

    [Theory]
    [InlineData("\u0085", "\"\\u0085\"")]   // NEL: a C1 control
    [InlineData("\u00a0", "\"\\u00a0\"")]   // no-break space: only U+0020 is a printable space
    [InlineData("\u200b", "\"\\u200b\"")]   // zero-width space: format
    [InlineData("\u2028", "\"\\u2028\"")]   // line separator
    [InlineData("\ufeff", "\"\\ufeff\"")]   // byte order mark
    [InlineData("\ue000", "\"\\ue000\"")]   // private use
    public void Non_printable_runes_in_the_bmp_use_u_escapes(string input, string expected) =>
        Assert.Equal(expected, Quote(input));

    [Theory]
    [InlineData(0xE0001, "\"\\U000e0001\"")]  // language tag: format
    [InlineData(0xF0000, "\"\\U000f0000\"")]  // supplementary private use
    [InlineData(0x10FFFF, "\"\\U0010ffff\"")] // noncharacter
    public void Non_printable_runes_above_the_bmp_use_U_escapes(int rune, string expected) =>
        Assert.Equal(expected, Quote(char.ConvertFromUtf32(rune)));

    [Theory]
    [InlineData("é")]
    [InlineData("日本")]
    [InlineData("\U0001F600")]
    [InlineData("\u0301")]   // combining acute: a mark is printable
    [InlineData("\ufffd")]   // the replacement character itself is a printable symbol
    [InlineData("a b")]
    public void Printable_unicode_is_left_as_is(string input) =>
        Assert.Equal("\"" + input + "\"", Quote(input));

    [Theory]
    [InlineData(new byte[] { 0xFF }, "\"\\xff\"")]
    [InlineData(new byte[] { 0xC0, 0xAF }, "\"\\xc0\\xaf\"")]              // overlong '/'
    [InlineData(new byte[] { 0xED, 0xA0, 0x80 }, "\"\\xed\\xa0\\x80\"")]  // an encoded surrogate
    [InlineData(new byte[] { 0xE2, 0x82 }, "\"\\xe2\\x82\"")]              // truncated sequence
    [InlineData(new byte[] { 0xE2, 0x82, 0xAC, 0x80 }, "\"€\\x80\"")]      // valid rune, then a stray continuation byte
    public void Invalid_utf8_is_escaped_byte_by_byte(byte[] input, string expected) =>
        Assert.Equal(expected, Quote(input));

    [Fact]
    public void A_lone_surrogate_is_seen_as_its_utf8_replacement()
    {
        Assert.Equal("\"a\ufffdb\"", Quote("a\ud800b"));
    }

    [FsCheck.Xunit.Property]
    public bool Printable_ascii_without_quote_or_backslash_is_wrapped_unchanged(byte[] seed)
    {
        var text = new StringBuilder();
        foreach (byte b in seed ?? [])
        {
            char c = (char)(0x20 + (b % 95));
            if (c is not '"' and not '\\')
            {
                text.Append(c);
            }
        }

        return Quote(text.ToString()) == "\"" + text + "\"";
    }

    [FsCheck.Xunit.Property]
    public bool Quoting_a_string_and_its_utf8_bytes_agree(string? text)
    {
        text ??= "";
        return Quote(text) == Quote(Encoding.UTF8.GetBytes(text));
    }

    [FsCheck.Xunit.Property]
    public bool Quoted_output_never_contains_raw_control_characters(string? text)
    {
        string quoted = Quote(text ?? "");
        return !quoted.Any(c => c < 0x20 || c == 0x7F);
    }
}
