using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using MeshGateway.Consul.Filtering;

namespace MeshGateway.Consul.Tests.Filtering;

/// <summary>Generators of filter trees: selectors Consul's subsets use, values with quotes, escapes, controls and non-ASCII text.</summary>
public static class FilterArbitraries
{
    private static readonly string[][] Selectors =
    [
        ["Service", "ID"], ["Service", "Port"], ["Service", "Tags"], ["Service", "Meta"], ["Service", "Meta", "version"],
        ["Service", "Meta", "build-id"], ["Node", "Meta", "zone"], ["Node", "Node"], ["Service", "Meta", "with \"quote\""],
    ];

    private static Gen<string> Value => Gen.Frequency(
        (4, Gen.Elements("v1", "canary", "", "1.2", "-3", "us-east-1a")),
        (2, Gen.ArrayOf(Gen.Elements("aZ9_.-\"\\`\n\t é€ ".ToCharArray())).Select(c => new string(c))));

    private static Gen<ConsulFilterNode> Match =>
        from selector in Gen.Elements(Selectors)
        from op in Gen.Elements(Enum.GetValues<ConsulFilterOperator>())
        from value in Value
        select (ConsulFilterNode)new ConsulFilterMatch(
            selector, op, op is ConsulFilterOperator.IsEmpty or ConsulFilterOperator.IsNotEmpty ? null : value);

    private static Gen<ConsulFilterNode> Node(int depth) => depth == 0
        ? Match
        : Gen.Frequency(
            (3, Match),
            (1, from l in Node(depth - 1) from r in Node(depth - 1) select (ConsulFilterNode)new ConsulFilterOr(l, r)),
            (1, from l in Node(depth - 1) from r in Node(depth - 1) select (ConsulFilterNode)new ConsulFilterAnd(l, r)),
            (1, Node(depth - 1).Select(n => (ConsulFilterNode)new ConsulFilterNot(n))));

    public static Arbitrary<GeneratedFilter> Filters() => Node(4).Select(n => new GeneratedFilter(n)).ToArbitrary();
}

/// <summary>A generated filter tree (the parser's types are internal; FsCheck needs a public one).</summary>
public sealed class GeneratedFilter
{
    internal GeneratedFilter(ConsulFilterNode node)
    {
        Node = node;
    }

    internal ConsulFilterNode Node { get; }

    public override string ToString() => Node.ToString();
}

[Properties(Arbitrary = [typeof(FilterArbitraries)], MaxTest = 500)]
public class ConsulFilterParserPropertyTests
{
    [Property]
    public void Parsing_any_text_never_throws(string? text)
    {
        bool parsed = ConsulFilterParser.TryParse(text ?? "", out ConsulFilterNode? filter, out string? error);

        Assert.True(parsed ? filter is not null && error is null : filter is null && !string.IsNullOrEmpty(error));
    }

    [Property]
    public void A_printed_filter_parses_back_to_the_same_filter(GeneratedFilter filter)
    {
        string printed = filter.ToString();

        Assert.True(ConsulFilterParser.TryParse(printed, out ConsulFilterNode? again, out string? error), $"{printed}: {error}");
        Assert.Equal(printed, again.ToString());
    }

    [Property]
    public void Printing_what_parsed_is_stable(string? text)
    {
        if (!ConsulFilterParser.TryParse(text ?? "", out ConsulFilterNode? filter, out _))
        {
            return;
        }

        string printed = filter.ToString();
        Assert.True(ConsulFilterParser.TryParse(printed, out ConsulFilterNode? again, out _));
        Assert.Equal(printed, again.ToString());
    }

    [Property]
    public void Mutating_a_valid_filter_never_throws(GeneratedFilter filter, int position, char replacement)
    {
        string printed = filter.ToString();
        int at = (int)((uint)position % (uint)printed.Length);
        string mutated = printed[..at] + replacement + printed[(at + 1)..];

        _ = ConsulFilterParser.TryParse(mutated, out _, out _);
        _ = ConsulFilterParser.TryParse(printed[..at], out _, out _);
    }
}
