using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace MeshGateway.Naming.Tests.Routing;

/// <summary>
/// Issue 14, item 3: a wildcard (<c>*.dc2.internal.&lt;td&gt;</c>) must not route a name whose labels hold anything
/// but <c>[A-Za-z0-9_-]</c>; such a name once carried a whole forged connection-log line to dc2's gateways.
/// </summary>
public class HostileNameRoutingTests
{
    private const string Td = "11111111-2222-3333-4444-555555555555.consul";
    private const string Dc2 = ".default.dc2.internal." + Td;

    private static readonly SniRouteTable<MeshGatewayRoute> Gateway = new MeshGatewayRouteBuilder("dc1", null, Td)
        .AddLocalService("api")
        .AddRemoteGateway("dc2")
        .Build();

    public static TheoryData<string> HostileNames => new()
    {
        "web\n" + Dc2[1..],                                                          // line feed
        "we b" + Dc2,                                                                // space
        "web=1" + Dc2,                                                               // '='
        "caf\u00e9" + Dc2,                                                           // non-ASCII
        "a\"b" + Dc2,                                                                // quote
        "a\\b" + Dc2,                                                                // backslash
        "a\tb" + Dc2,                                                                // tab
        "a\rb" + Dc2,                                                                // carriage return
        "a\u007fb" + Dc2,                                                            // DEL
        "a\0b" + Dc2,                                                                // NUL
        "web" + Dc2 + "\nclosed 203.0.113.9:4711 reason=Completed route=FORGED x" + Dc2, // a forged log line
        "ok.x y" + Dc2,                                                              // bad label deeper in the covered part
    };

    [Theory]
    [MemberData(nameof(HostileNames))]
    public void Wildcard_does_not_route_a_name_with_a_byte_outside_the_label_characters(string name)
    {
        Assert.False(Gateway.TryLookup(name, out _, out SniMatchKind kind));
        Assert.Equal(SniMatchKind.None, kind);
        Assert.False(Gateway.TryLookup(Encoding.Latin1.GetBytes(name), out _, out SniMatchKind byteKind));
        Assert.Equal(SniMatchKind.None, byteKind);
        Assert.False(Gateway.TryLookup(Encoding.UTF8.GetBytes(name), out _, out _));
    }

    [Theory]
    [InlineData("web" + Dc2)]
    [InlineData("v1.Web_Server-2" + Dc2)]
    [InlineData("WEB" + Dc2 + ".")] // one final dot is stripped for routing
    public void Wildcard_still_routes_names_of_letters_digits_underscores_and_hyphens(string name)
    {
        Assert.True(Gateway.TryLookup(name, out MeshGatewayRoute? route, out SniMatchKind kind));
        Assert.Equal((SniMatchKind.WildcardSuffix, "dc2"), (kind, route.Datacenter));
        Assert.True(Gateway.TryLookup(Encoding.ASCII.GetBytes(name), out _, out SniMatchKind byteKind));
        Assert.Equal(SniMatchKind.WildcardSuffix, byteKind);
    }

    [Fact]
    public void A_hostile_name_reaches_only_the_catch_all_of_a_table_that_has_one()
    {
        var table = new SniRouteTableBuilder<int>().AddWildcard("*.example.com", 1).SetCatchAll(2).Build();

        Assert.True(table.TryLookup("a\nb.example.com", out int route, out SniMatchKind kind));
        Assert.Equal((2, SniMatchKind.CatchAll), (route, kind));
    }

    [Theory]
    [InlineData("a!b.example.com", "'!' at index 1")]
    [InlineData("a b.example.com", "U+0020 at index 1")]
    [InlineData("a=b.example.com", "'=' at index 1")]
    [InlineData("caf\u00e9.example.com", "U+00E9 at index 3")]
    public void Exact_rules_outside_the_label_characters_are_refused_when_the_table_is_built(string name, string where)
    {
        var builder = new SniRouteTableBuilder<int>().AddExact(name, 1).AddWildcard("*." + name, 2);

        Assert.False(builder.TryBuild(out _, out IReadOnlyList<string> errors));
        Assert.Equal(2, errors.Count);
        Assert.All(errors, e => Assert.Contains(where, e, StringComparison.Ordinal));
        Assert.All(errors, e => Assert.Contains("[A-Za-z0-9_-]", e, StringComparison.Ordinal));
    }

    [Property(MaxTest = 1000)]
    public Property No_name_with_a_byte_outside_the_label_characters_matches_a_wildcard()
    {
        Gen<char> any = Gen.Choose(0, 255).Select(i => (char)i);
        Gen<string> prefix = Gen.ArrayOf(any).Where(chars => chars.Length > 0).Select(chars => new string(chars));
        return Prop.ForAll(prefix.ToArbitrary(), label =>
        {
            string name = label + Dc2;
            bool clean = label.Split('.').All(l => l.Length > 0 && l.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-'));
            bool routed = Gateway.TryLookup(name, out _, out SniMatchKind kind) && kind == SniMatchKind.WildcardSuffix;
            bool routedBytes = Gateway.TryLookup(Encoding.Latin1.GetBytes(name), out _, out SniMatchKind byteKind)
                && byteKind == SniMatchKind.WildcardSuffix;
            return (routed == clean && routedBytes == clean).Label($"name {name}, clean {clean}, routed {routed}/{routedBytes}");
        });
    }
}
