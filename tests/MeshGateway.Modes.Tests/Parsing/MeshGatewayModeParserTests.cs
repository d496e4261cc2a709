using System.Text;

namespace MeshGateway.Modes.Tests.Parsing;

public class MeshGatewayModeParserTests
{
    [Theory]
    [InlineData("", MeshGatewayMode.Default)]
    [InlineData("none", MeshGatewayMode.None)]
    [InlineData("local", MeshGatewayMode.Local)]
    [InlineData("remote", MeshGatewayMode.Remote)]
    public void Consuls_four_strings_parse_to_their_modes(string text, MeshGatewayMode expected)
    {
        Assert.True(MeshGatewayModeParser.TryParse(text.AsSpan(), out MeshGatewayMode fromChars));
        Assert.True(MeshGatewayModeParser.TryParse(Encoding.UTF8.GetBytes(text), out MeshGatewayMode fromBytes));
        Assert.Equal(expected, fromChars);
        Assert.Equal(expected, fromBytes);
        Assert.Equal(expected, MeshGatewayModeParser.Parse(text));
    }

    [Theory]
    [InlineData("Local", "Invalid Mesh Gateway Mode: \"Local\"")]
    [InlineData("REMOTE", "Invalid Mesh Gateway Mode: \"REMOTE\"")]
    [InlineData(" local", "Invalid Mesh Gateway Mode: \" local\"")]
    [InlineData("local ", "Invalid Mesh Gateway Mode: \"local \"")]
    [InlineData("default", "Invalid Mesh Gateway Mode: \"default\"")]
    [InlineData("foo", "Invalid Mesh Gateway Mode: \"foo\"")]
    [InlineData("None", "Invalid Mesh Gateway Mode: \"None\"")]
    [InlineData("\"local\"", "Invalid Mesh Gateway Mode: \"\\\"local\\\"\"")]
    [InlineData("local\n", "Invalid Mesh Gateway Mode: \"local\\n\"")]
    [InlineData("loc\\al", "Invalid Mesh Gateway Mode: \"loc\\\\al\"")]
    public void Anything_else_is_rejected_with_Consuls_exact_message(string text, string message)
    {
        Assert.False(MeshGatewayModeParser.TryParse(text.AsSpan(), out MeshGatewayMode mode));
        Assert.Equal(MeshGatewayMode.Default, mode);
        Assert.False(MeshGatewayModeParser.TryParse(Encoding.UTF8.GetBytes(text), out _));

        var error = Assert.Throws<FormatException>(() => MeshGatewayModeParser.Parse(text));
        Assert.Equal(message, error.Message);
        Assert.Equal(message, MeshGatewayModeParser.InvalidModeMessage(text));
    }

    [Fact]
    public void The_word_default_is_invalid_only_the_empty_string_means_default()
    {
        Assert.False(MeshGatewayModeParser.TryParse("default", out _));
        Assert.True(MeshGatewayModeParser.TryParse("", out MeshGatewayMode mode));
        Assert.Equal(MeshGatewayMode.Default, mode);
    }

    [Fact]
    public void Invalid_utf8_bytes_in_the_input_are_escaped_one_byte_at_a_time()
    {
        byte[] input = [(byte)'l', 0xFF, 0xE2, 0x82, (byte)'x'];

        Assert.False(MeshGatewayModeParser.TryParse(input, out _));
        Assert.Equal("Invalid Mesh Gateway Mode: \"l\\xff\\xe2\\x82x\"", MeshGatewayModeParser.InvalidModeMessage(input));
    }

    [Theory]
    [InlineData(MeshGatewayMode.Default, "")]
    [InlineData(MeshGatewayMode.None, "none")]
    [InlineData(MeshGatewayMode.Local, "local")]
    [InlineData(MeshGatewayMode.Remote, "remote")]
    public void Formatting_gives_Consuls_string_back(MeshGatewayMode mode, string expected)
    {
        Assert.Equal(expected, MeshGatewayModeParser.ToConsulString(mode));
        Assert.Equal(expected, new MeshGatewayConfig(mode).ToString());
        Assert.Equal(mode, MeshGatewayModeParser.Parse(MeshGatewayModeParser.ToConsulString(mode)));
    }

    [Fact]
    public void Formatting_an_undefined_value_is_a_caller_bug()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => MeshGatewayModeParser.ToConsulString((MeshGatewayMode)9));
    }

    [Fact]
    public void Parse_of_null_is_a_caller_bug()
    {
        Assert.Throws<ArgumentNullException>(() => MeshGatewayModeParser.Parse(null!));
    }

    [FsCheck.Xunit.Property]
    public bool Any_string_other_than_the_four_is_rejected_and_named_in_the_message(string? text)
    {
        text ??= "";
        bool valid = text is "" or "none" or "local" or "remote";
        bool parsed = MeshGatewayModeParser.TryParse(text.AsSpan(), out _);
        if (valid)
        {
            return parsed;
        }

        var error = Assert.Throws<FormatException>(() => MeshGatewayModeParser.Parse(text));
        return !parsed
            && error.Message.StartsWith("Invalid Mesh Gateway Mode: \"", StringComparison.Ordinal)
            && error.Message.EndsWith('"');
    }

    [FsCheck.Xunit.Property]
    public bool Span_and_utf8_parsers_agree(string? text)
    {
        text ??= "";
        bool chars = MeshGatewayModeParser.TryParse(text.AsSpan(), out MeshGatewayMode a);
        bool bytes = MeshGatewayModeParser.TryParse(Encoding.UTF8.GetBytes(text), out MeshGatewayMode b);
        return chars == bytes && a == b;
    }
}
