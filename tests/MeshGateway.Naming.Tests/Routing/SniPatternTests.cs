namespace MeshGateway.Naming.Tests.Routing;

/// <summary>One reading of a route pattern: <see cref="SniRouteTableBuilder{TRoute}.Add"/> and <see cref="SniPattern"/> agree with the typed adders.</summary>
public class SniPatternTests
{
    [Theory]
    [InlineData("*", SniMatchKind.CatchAll)]
    [InlineData("*.dc2.internal.td", SniMatchKind.WildcardSuffix)]
    [InlineData("api.default.dc1.internal.td", SniMatchKind.Exact)]
    [InlineData("a*.example.com", SniMatchKind.Exact)]
    public void Pattern_kind_is_read_from_its_leftmost_label(string pattern, SniMatchKind expected) =>
        Assert.Equal(expected, SniPattern.GetKind(pattern));

    [Fact]
    public void Add_dispatches_catch_all_wildcard_and_exact_like_the_typed_adders()
    {
        SniRouteTable<string> table = new SniRouteTableBuilder<string>()
            .Add("*", "any").Add("*.example.com", "wild").Add("www.example.com", "www").Build();

        Assert.True(table.TryLookup("www.example.com", out string? route, out SniMatchKind kind));
        Assert.Equal(("www", SniMatchKind.Exact), (route, kind));
        Assert.True(table.TryLookup("api.example.com", out route, out kind));
        Assert.Equal(("wild", SniMatchKind.WildcardSuffix), (route, kind));
        Assert.True(table.TryLookup("other.org", out route, out kind));
        Assert.Equal(("any", SniMatchKind.CatchAll), (route, kind));
    }

    [Theory]
    [InlineData("*")]
    [InlineData("*.example.com")]
    [InlineData("www.example.com")]
    public void Valid_patterns_validate_and_build(string pattern)
    {
        Assert.Null(SniPattern.Validate(pattern));
        Assert.True(new SniRouteTableBuilder<int>().Add(pattern, 1).TryBuild(out _, out _));
    }

    [Theory]
    [InlineData("a*.example.com")]
    [InlineData("*.*.example.com")]
    [InlineData("*.")]
    [InlineData("www..example.com")]
    [InlineData("")]
    public void Invalid_patterns_are_rejected_by_validate_and_by_the_builder_alike(string pattern)
    {
        Assert.NotNull(SniPattern.Validate(pattern));
        Assert.False(new SniRouteTableBuilder<int>().Add(pattern, 1).TryBuild(out _, out IReadOnlyList<string> errors));
        Assert.Single(errors);
    }
}
