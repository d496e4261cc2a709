namespace MeshGateway.Naming.Tests.Routing;

public class SniRouteTableTests
{
    private static SniRouteTable<string> Table() => new SniRouteTableBuilder<string>()
        .AddExact("www.example.com", "exact-www")
        .AddWildcard("*.example.com", "wild-example")
        .AddWildcard("*.com", "wild-com")
        .AddWildcard("*.b.example.com", "wild-b")
        .SetCatchAll("catch-all")
        .Build();

    [Theory]
    [InlineData("www.example.com", "exact-www", SniMatchKind.Exact)]
    [InlineData("api.example.com", "wild-example", SniMatchKind.WildcardSuffix)]
    [InlineData("a.b.example.com", "wild-b", SniMatchKind.WildcardSuffix)]
    [InlineData("x.a.b.example.com", "wild-b", SniMatchKind.WildcardSuffix)]
    [InlineData("b.example.com", "wild-example", SniMatchKind.WildcardSuffix)]
    [InlineData("x.y.example.com", "wild-example", SniMatchKind.WildcardSuffix)]
    [InlineData("example.com", "wild-com", SniMatchKind.WildcardSuffix)]
    [InlineData("other.org", "catch-all", SniMatchKind.CatchAll)]
    [InlineData("com", "catch-all", SniMatchKind.CatchAll)]
    [InlineData("", "catch-all", SniMatchKind.CatchAll)]
    public void Most_specific_rule_wins_exact_then_longest_suffix_then_catch_all(string name, string expected, SniMatchKind expectedKind)
    {
        Assert.True(Table().TryLookup(name, out string? route, out SniMatchKind kind));
        Assert.Equal(expected, route);
        Assert.Equal(expectedKind, kind);
    }

    [Theory]
    [InlineData("WWW.Example.COM")]
    [InlineData("www.example.com.")]
    [InlineData("Www.Example.Com.")]
    public void Lookup_ignores_ascii_case_and_one_final_dot(string name)
    {
        Assert.True(Table().TryLookup(name, out string? route, out SniMatchKind kind));
        Assert.Equal("exact-www", route);
        Assert.Equal(SniMatchKind.Exact, kind);
    }

    [Fact]
    public void Rules_are_stored_canonical_so_upper_case_rules_match_lower_case_names()
    {
        var table = new SniRouteTableBuilder<int>().AddExact("API.Example.COM.", 1).AddWildcard("*.Dc2.Internal.TD", 2).Build();

        Assert.True(table.TryLookup("api.example.com", out int exact, out _));
        Assert.True(table.TryLookup("web.default.dc2.internal.td", out int wild, out _));
        Assert.Equal(1, exact);
        Assert.Equal(2, wild);
        Assert.Equal(["api.example.com"], table.ExactNames);
        Assert.Equal(["*.dc2.internal.td"], table.WildcardPatterns);
    }

    [Fact]
    public void Wildcard_needs_at_least_one_whole_label_before_the_suffix()
    {
        var table = new SniRouteTableBuilder<int>().AddWildcard("*.example.com", 1).Build();

        Assert.False(table.TryLookup("example.com", out _, out SniMatchKind kind));
        Assert.Equal(SniMatchKind.None, kind);
        Assert.False(table.TryLookup("badexample.com", out _, out _));
        Assert.False(table.TryLookup(".example.com", out _, out _));
        Assert.False(table.TryLookup("a..example.com", out _, out _));
        Assert.True(table.TryLookup("a.example.com", out _, out _));
    }

    [Fact]
    public void Non_ascii_letters_are_not_folded_to_ascii()
    {
        // U+0131 (dotless i) upper-cases to 'I' under Unicode rules; DNS comparison is ASCII-only (RFC 4343).
        var table = new SniRouteTableBuilder<int>().AddExact("api.example.com", 1).Build();

        Assert.False(table.TryLookup("ap\u0131.example.com", out _, out _));
        Assert.False(table.TryLookup("ap\u0130.example.com", out _, out _));
    }

    [Fact]
    public void Names_longer_than_253_characters_reach_only_the_catch_all()
    {
        string longName = string.Join('.', Enumerable.Repeat(new string('a', 50), 5)) + ".example.com";
        Assert.True(longName.Length > 253);
        var table = new SniRouteTableBuilder<int>().AddWildcard("*.example.com", 1).SetCatchAll(2).Build();

        Assert.True(table.TryLookup(longName, out int route, out SniMatchKind kind));
        Assert.Equal(2, route);
        Assert.Equal(SniMatchKind.CatchAll, kind);
    }

    [Fact]
    public void Table_without_catch_all_returns_none_for_unknown_names()
    {
        var table = new SniRouteTableBuilder<string>().AddExact("a.b", "x").Build();

        Assert.False(table.TryLookup("c.d", out string? route, out SniMatchKind kind));
        Assert.Null(route);
        Assert.Equal(SniMatchKind.None, kind);
        Assert.False(table.HasCatchAll);
    }

    [Fact]
    public void Count_counts_exact_wildcard_and_catch_all_rules()
    {
        Assert.Equal(5, Table().Count);
        Assert.Equal(0, new SniRouteTableBuilder<int>().Build().Count);
    }

    [Fact]
    public void Building_reports_every_invalid_rule_at_once()
    {
        var builder = new SniRouteTableBuilder<int>()
            .AddExact("", 0)
            .AddExact("a..b", 1)
            .AddExact("*.a.b", 2)
            .AddWildcard("a.b", 3)
            .AddWildcard("*", 4)
            .AddWildcard("*.a.*.b", 5)
            .AddExact("ok.example", 6)
            .AddExact("OK.example.", 7)
            .AddWildcard("*.x.y", 8)
            .AddWildcard("*.X.Y", 9)
            .SetCatchAll(10)
            .SetCatchAll(11)
            .AddExact("sp ace.example", 12)
            .AddExact(new string('a', 64) + ".example", 13)
            .AddWildcard("*x.example", 14);

        Assert.False(builder.TryBuild(out SniRouteTable<int>? table, out IReadOnlyList<string> errors));
        Assert.Null(table);
        Assert.Equal(12, errors.Count);
        Assert.Contains(errors, e => e.StartsWith("rule 0 (exact \"\"): is empty", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("rule 1 (exact \"a..b\"): has an empty label", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("rule 2 (exact \"*.a.b\")", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("rule 3 (wildcard \"a.b\"): must start with", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("rule 4 (wildcard \"*\"): is a bare", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("rule 5 (wildcard \"*.a.*.b\")", StringComparison.Ordinal));
        Assert.Contains(errors, e => e == "rule 7 (exact \"OK.example.\"): duplicates \"ok.example\" of rule 6");
        Assert.Contains(errors, e => e == "rule 9 (wildcard \"*.X.Y\"): duplicates \"*.x.y\" of rule 8");
        Assert.Contains(errors, e => e == "rule 11 (catch-all): a catch-all is already set by rule 10");
        Assert.Contains(errors, e => e.StartsWith("rule 12 (exact \"sp ace.example\"): has the character U+0020", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("rule 13", StringComparison.Ordinal) && e.EndsWith("has a label longer than 63 characters", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("rule 14 (wildcard \"*x.example\"): must start with", StringComparison.Ordinal));

        var thrown = Assert.Throws<SniRouteTableException>(() => builder.Build());
        Assert.Equal(errors, thrown.Errors);
        Assert.Contains("12 invalid rule(s)", thrown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Null_names_and_routes_are_caller_bugs()
    {
        var builder = new SniRouteTableBuilder<string>();
        Assert.Throws<ArgumentNullException>(() => builder.AddExact(null!, "x"));
        Assert.Throws<ArgumentNullException>(() => builder.AddWildcard("*.a", null!));
        Assert.Throws<ArgumentNullException>(() => builder.SetCatchAll(null!));
    }

    [Fact]
    public void Builder_can_be_reused_and_tables_do_not_change_afterwards()
    {
        var builder = new SniRouteTableBuilder<int>().AddExact("a.example", 1);
        SniRouteTable<int> first = builder.Build();
        builder.AddExact("b.example", 2);
        SniRouteTable<int> second = builder.Build();

        Assert.False(first.TryLookup("b.example", out _, out _));
        Assert.True(second.TryLookup("b.example", out _, out _));
        Assert.Equal(1, first.Count);
        Assert.Equal(2, second.Count);
    }

    [Theory]
    [InlineData("b.c", 2, SniMatchKind.Exact)]
    [InlineData("ab.c", 1, SniMatchKind.Exact)]
    [InlineData("xb.c", -1, SniMatchKind.None)]
    [InlineData("z.ab.c", 11, SniMatchKind.WildcardSuffix)]
    [InlineData("z.b.c", 12, SniMatchKind.WildcardSuffix)]
    [InlineData("y.z.b.c", 12, SniMatchKind.WildcardSuffix)]
    [InlineData("z.xb.c", -1, SniMatchKind.None)]
    [InlineData("b.c.", 2, SniMatchKind.Exact)]
    public void Rules_where_one_is_a_suffix_of_another_still_match_whole_labels(string name, int expected, SniMatchKind expectedKind)
    {
        // Every exact rule ends with "b.c", as does every wildcard suffix: the shared part is not what decides.
        var table = new SniRouteTableBuilder<int>()
            .AddExact("ab.c", 1)
            .AddExact("b.c", 2)
            .AddWildcard("*.ab.c", 11)
            .AddWildcard("*.b.c", 12)
            .Build();

        bool found = table.TryLookup(name, out int route, out SniMatchKind kind);
        Assert.Equal(expected >= 0, found);
        Assert.Equal(expectedKind, kind);
        if (found)
        {
            Assert.Equal(expected, route);
        }
    }

    [Theory]
    [InlineData("a..b.example.com")]
    [InlineData("..example.com")]
    [InlineData("a.example.com..")]
    [InlineData(".")]
    public void Names_with_empty_labels_reach_only_the_catch_all(string name)
    {
        var table = new SniRouteTableBuilder<int>().AddWildcard("*.example.com", 1).AddWildcard("*.b.example.com", 2).SetCatchAll(3).Build();

        Assert.True(table.TryLookup(name, out int route, out SniMatchKind kind));
        Assert.Equal(3, route);
        Assert.Equal(SniMatchKind.CatchAll, kind);
    }

    [Fact]
    public void Long_names_are_lower_cased_across_vector_blocks_and_the_tail()
    {
        string rule = "abcdefghijklmnopqrstuvwxyz-0123456789.abcdefghijklmnopqrstuvwxyz.example.com";
        var table = new SniRouteTableBuilder<int>().AddExact(rule, 1).Build();

        for (int upTo = 0; upTo <= rule.Length; upTo++)
        {
            string mixed = rule[..upTo].ToUpperInvariant() + rule[upTo..];
            Assert.True(table.TryLookup(mixed, out int route, out _), mixed);
            Assert.Equal(1, route);
            Assert.True(table.TryLookup(System.Text.Encoding.ASCII.GetBytes(mixed + "."), out int fromBytes, out _), mixed);
            Assert.Equal(1, fromBytes);
        }
    }

    [Fact]
    public void Byte_lookup_matches_ascii_names_and_never_folds_or_wildcard_routes_non_ascii_bytes()
    {
        var table = new SniRouteTableBuilder<int>().AddExact("api.example.com", 1).AddWildcard("*.example.com", 2).SetCatchAll(3).Build();

        Assert.True(table.TryLookup("API.Example.com."u8, out int exact, out SniMatchKind exactKind));
        Assert.Equal((1, SniMatchKind.Exact), (exact, exactKind));
        Assert.True(table.TryLookup("cafe.example.com"u8, out int wild, out SniMatchKind wildKind));
        Assert.Equal((2, SniMatchKind.WildcardSuffix), (wild, wildKind));
        Assert.True(table.TryLookup("caf\u00e9.example.com"u8, out int nonAscii, out SniMatchKind nonAsciiKind));
        Assert.Equal((3, SniMatchKind.CatchAll), (nonAscii, nonAsciiKind));
        Assert.True(table.TryLookup([0x61, 0x70, 0xC9, 0x2E, 0x63, 0x6F, 0x6D], out int other, out SniMatchKind otherKind));
        Assert.Equal((3, SniMatchKind.CatchAll), (other, otherKind));
        Assert.True(table.TryLookup(ReadOnlySpan<byte>.Empty, out int none, out SniMatchKind noneKind));
        Assert.Equal((3, SniMatchKind.CatchAll), (none, noneKind));
        Assert.True(table.TryLookup(new byte[300], out int longName, out SniMatchKind longKind));
        Assert.Equal((3, SniMatchKind.CatchAll), (longName, longKind));
    }

    [Fact]
    public void Listing_the_rules_cannot_change_the_table()
    {
        var table = new SniRouteTableBuilder<int>().AddExact("a.example", 1).AddWildcard("*.example", 2).Build();

        Assert.IsNotType<string[]>(table.ExactNames);
        Assert.IsNotType<string[]>(table.WildcardPatterns);
        Assert.Throws<NotSupportedException>(() => ((IList<string>)table.ExactNames)[0] = "b.example");
    }
}
