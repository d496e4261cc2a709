using MeshGateway.Consul.Filtering;

namespace MeshGateway.Consul.Tests.Filtering;

/// <summary>The grammar of Consul's filter language (go-bexpr): operators, precedence, selectors, values, and the messages for what is not a filter.</summary>
public class ConsulFilterParserTests
{
    [Theory]
    [InlineData("Service.Meta.version == v1", "Service.Meta.version == \"v1\"")]
    [InlineData("Service.Meta[\"build-id\"] != `a\\b`", "Service.Meta[\"build-id\"] != \"a\\\\b\"")]
    [InlineData("\"canary\" in Service.Tags", "\"canary\" in Service.Tags")]
    [InlineData("canary not in Service.Tags", "\"canary\" not in Service.Tags")]
    [InlineData("Service.Tags contains canary", "Service.Tags contains \"canary\"")]
    [InlineData("Service.Tags not contains \"canary\"", "Service.Tags not contains \"canary\"")]
    [InlineData("Service.Meta is empty", "Service.Meta is empty")]
    [InlineData("Service.Meta is not empty", "Service.Meta is not empty")]
    [InlineData("Node.Node matches \"^node-[0-9]+$\"", "Node.Node matches \"^node-[0-9]+$\"")]
    [InlineData("Node.Node not matches `^a`", "Node.Node not matches \"^a\"")]
    [InlineData("Service.Port == -1", "Service.Port == \"-1\"")]
    public void Each_matching_operator_parses_and_prints_canonically(string text, string canonical)
    {
        Assert.True(ConsulFilterParser.TryParse(text, out ConsulFilterNode? filter, out string? error), error);
        Assert.Equal(canonical, filter.ToString());
    }

    [Theory]
    [InlineData("a == 1 or b == 2 and c == 3", "(a == \"1\" or (b == \"2\" and c == \"3\"))")]
    [InlineData("(a == 1 or b == 2) and c == 3", "((a == \"1\" or b == \"2\") and c == \"3\")")]
    [InlineData("not a == 1 and b == 2", "(not a == \"1\" and b == \"2\")")]
    [InlineData("not (a == 1 and b == 2)", "not (a == \"1\" and b == \"2\")")]
    [InlineData("a == 1 or b == 2 or c == 3", "((a == \"1\" or b == \"2\") or c == \"3\")")]
    public void Not_binds_tighter_than_and_which_binds_tighter_than_or(string text, string canonical)
    {
        Assert.True(ConsulFilterParser.TryParse(text, out ConsulFilterNode? filter, out string? error), error);
        Assert.Equal(canonical, filter.ToString());
    }

    [Theory]
    [InlineData("", "unexpected end of filter; expected a value (a quoted string or a word)")]
    [InlineData("Service.Meta.version = v1", "unexpected '=' at character 22; expected '==', '!=', 'is', 'contains', 'matches', 'not', 'in'")]
    [InlineData("Node == host-name", "unexpected '-' at character 13; expected 'and', 'or' or the end")]
    [InlineData("(a == 1", "unexpected end of filter; expected ')'")]
    [InlineData("a == \"open", "unterminated string")]
    [InlineData("a == \"\\x41\"", "invalid escape in a string (\\\", \\\\, \\/, \\n, \\r, \\t and \\uXXXX are allowed)")]
    [InlineData("\"v1\" == a", "unexpected '\"' at character 1; expected a selector (Service.…, Node.…), or a value followed by 'in' or 'not in'")]
    [InlineData("a is full", "unexpected 'f' at character 6; expected 'empty' or 'not empty'")]
    [InlineData("a == 1 and", "unexpected end of filter; expected a value (a quoted string or a word)")]
    public void What_is_not_a_filter_is_an_error_naming_the_position(string text, string message)
    {
        Assert.False(ConsulFilterParser.TryParse(text, out ConsulFilterNode? filter, out string? error));
        Assert.Null(filter);
        Assert.Equal(message, error);
    }

    [Fact]
    public void Nesting_and_length_are_bounded()
    {
        Assert.False(ConsulFilterParser.TryParse(new string('(', 100) + "a == 1" + new string(')', 100), out _, out string? deep));
        Assert.Equal($"the filter nests deeper than {ConsulFilterParser.MaxDepth} levels", deep);
        Assert.False(ConsulFilterParser.TryParse("a == \"" + new string('x', ConsulFilterParser.MaxLength) + "\"", out _, out string? longer));
        Assert.Equal($"the filter is longer than {ConsulFilterParser.MaxLength} characters", longer);
    }
}
