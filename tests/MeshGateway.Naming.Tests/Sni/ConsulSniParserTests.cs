namespace MeshGateway.Naming.Tests.Sni;

public class ConsulSniParserTests
{
    private const string Td = "11111111-2222-3333-4444-555555555555.consul";

    public static TheoryData<string, ConsulSniName> Names => new()
    {
        { "api.default.dc1.internal." + Td, ConsulSniName.ForService("api", null, null, null, "dc1", Td) },
        { "v1.api.ns1.dc1.internal." + Td, ConsulSniName.ForService("api", "v1", "ns1", null, "dc1", Td) },
        { "api.ns1.part1.dc1.internal-v1." + Td, ConsulSniName.ForService("api", null, "ns1", "part1", "dc1", Td) },
        { "v1.api.ns1.part1.dc1.internal-v1." + Td, ConsulSniName.ForService("api", "v1", "ns1", "part1", "dc1", Td) },
        { "api.default.Default.dc1.internal-v1." + Td, ConsulSniName.ForService("api", null, null, "Default", "dc1", Td) },
        { "dc2.internal." + Td, ConsulSniName.ForGateway("dc2", null, Td) },
        { "part1.dc2.internal-v1." + Td, ConsulSniName.ForGateway("dc2", "part1", Td) },
        { "geo.default.dc1.query." + Td, ConsulSniName.ForPreparedQuery("geo", "dc1", Td) },
        { "api.ns.part1.cloud.external." + Td, ConsulSniName.ForPeeredService("api", "ns", "part1", "cloud", Td) },
    };

    [Theory]
    [MemberData(nameof(Names))]
    public void Every_shape_parses_into_its_parts_with_the_trust_domain(string sni, ConsulSniName expected)
    {
        Assert.True(ConsulSniName.TryParse(sni, Td, out ConsulSniName parsed, out ConsulSniStatus status));
        Assert.Equal(ConsulSniStatus.Valid, status);
        Assert.Equal(expected, parsed);
        Assert.Equal(sni, parsed.ToString());
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Every_shape_parses_into_its_parts_without_the_trust_domain(string sni, ConsulSniName expected)
    {
        Assert.True(ConsulSniName.TryParse(sni, null, out ConsulSniName parsed));
        Assert.Equal(expected, parsed);
    }

    [Fact]
    public void Span_view_slices_the_input()
    {
        const string sni = "v1.api.ns1.part1.dc1.internal-v1." + Td;
        Assert.Equal(ConsulSniStatus.Valid, ConsulSniParser.Parse(sni, Td, out ConsulSniView view));

        Assert.Equal(ConsulSniKind.Service, view.Kind);
        Assert.Equal("v1", view.Subset.ToString());
        Assert.Equal("api", view.Service.ToString());
        Assert.Equal("ns1", view.Namespace.ToString());
        Assert.Equal("part1", view.Partition.ToString());
        Assert.Equal("dc1", view.Datacenter.ToString());
        Assert.Equal(Td, view.TrustDomain.ToString());
        Assert.True(view.Peer.IsEmpty);
        Assert.True(view.Query.IsEmpty);
    }

    [Fact]
    public void Trust_domain_matches_ascii_case_insensitively_and_a_final_dot_is_accepted()
    {
        Assert.True(ConsulSniName.TryParse("API.default.DC1.INTERNAL." + Td.ToUpperInvariant() + ".", Td, out ConsulSniName parsed));
        Assert.Equal("API", parsed.Service);
        Assert.Equal("DC1", parsed.Datacenter);
        Assert.Equal(Td.ToUpperInvariant(), parsed.TrustDomain);
    }

    [Fact]
    public void Given_trust_domain_decides_the_shape_even_when_it_contains_a_marker_word()
    {
        // Without the trust domain "internal.consul" this name reads two ways.
        const string sni = "api.default.dc1.internal.internal.consul";
        Assert.Equal(ConsulSniStatus.Ambiguous, ConsulSniParser.Parse(sni, default, out _));

        Assert.True(ConsulSniName.TryParse(sni, "internal.consul", out ConsulSniName parsed));
        Assert.Equal(ConsulSniName.ForService("api", null, null, null, "dc1", "internal.consul"), parsed);

        Assert.True(ConsulSniName.TryParse(sni, "consul", out ConsulSniName other));
        Assert.Equal(ConsulSniName.ForService("default", "api", "dc1", null, "internal", "consul"), other);
    }

    [Fact]
    public void Without_trust_domain_a_service_named_like_a_marker_still_parses_when_only_one_reading_fits()
    {
        Assert.True(ConsulSniName.TryParse("query.default.dc1.internal." + Td, null, out ConsulSniName parsed));
        Assert.Equal(ConsulSniName.ForService("query", null, null, null, "dc1", Td), parsed);

        Assert.True(ConsulSniName.TryParse("x.default.dc1.query.y.internal.td", null, out ConsulSniName query));
        Assert.Equal(ConsulSniName.ForPreparedQuery("x", "dc1", "y.internal.td"), query);
    }

    [Theory]
    [InlineData("", null, ConsulSniStatus.Empty)]
    [InlineData(".", null, ConsulSniStatus.Empty)]
    [InlineData("api..dc1.internal.td", null, ConsulSniStatus.EmptyLabel)]
    [InlineData(".api.default.dc1.internal.td", null, ConsulSniStatus.EmptyLabel)]
    [InlineData("api.default.dc1.internal.td..", null, ConsulSniStatus.EmptyLabel)]
    [InlineData("api.default.dc1.internal.other.consul", Td, ConsulSniStatus.TrustDomainMismatch)]
    [InlineData("api.default.dc1.internalx" + Td, Td, ConsulSniStatus.TrustDomainMismatch)]
    [InlineData(Td, Td, ConsulSniStatus.TrustDomainMismatch)]
    [InlineData("www.example.com", null, ConsulSniStatus.MissingMarker)]
    [InlineData("api.default.dc1.web." + Td, Td, ConsulSniStatus.MissingMarker)]
    [InlineData("api.default.dc1.internal", null, ConsulSniStatus.MissingTrustDomain)]
    [InlineData("ns.dc1.internal." + Td, Td, ConsulSniStatus.WrongLabelCount)]
    [InlineData("a.b.c.d.e.internal." + Td, null, ConsulSniStatus.WrongLabelCount)]
    [InlineData("dc1.internal-v1." + Td, Td, ConsulSniStatus.WrongLabelCount)]
    [InlineData("a.b.c.internal-v1." + Td, Td, ConsulSniStatus.WrongLabelCount)]
    [InlineData("geo.dc1.query." + Td, Td, ConsulSniStatus.WrongLabelCount)]
    [InlineData("api.ns.cloud.external." + Td, Td, ConsulSniStatus.WrongLabelCount)]
    [InlineData("internal." + Td, null, ConsulSniStatus.WrongLabelCount)]
    [InlineData("geo.ns1.dc1.query." + Td, Td, ConsulSniStatus.QueryNamespaceNotDefault)]
    [InlineData("api.ns.default.dc1.internal-v1." + Td, Td, ConsulSniStatus.DefaultPartitionInVersionedName)]
    [InlineData("default.dc1.internal-v1." + Td, null, ConsulSniStatus.DefaultPartitionInVersionedName)]
    [InlineData("a.b.c.internal.e.internal-v1.td", null, ConsulSniStatus.Ambiguous)]
    public void Malformed_and_ambiguous_names_get_a_specific_status(string sni, string? trustDomain, ConsulSniStatus expected)
    {
        Assert.Equal(expected, ConsulSniParser.Parse(sni, trustDomain, out ConsulSniView view));
        Assert.Equal(ConsulSniKind.None, view.Kind);
        Assert.False(ConsulSniName.TryParse(sni, trustDomain, out ConsulSniName name));
        Assert.Equal(default, name);
        Assert.NotEmpty(ConsulSniParser.Describe(expected));
    }

    [Fact]
    public void Names_longer_than_253_characters_or_with_long_labels_are_rejected()
    {
        string longLabel = new('a', 64);
        Assert.Equal(ConsulSniStatus.LabelTooLong, ConsulSniParser.Parse(longLabel + ".default.dc1.internal." + Td, Td, out _));

        string longName = string.Join('.', Enumerable.Repeat(new string('a', 60), 4)) + ".dc1.internal.td";
        Assert.True(longName.Length > 253);
        Assert.Equal(ConsulSniStatus.NameTooLong, ConsulSniParser.Parse(longName, default, out _));
    }

    [Fact]
    public void Every_status_has_a_description()
    {
        foreach (ConsulSniStatus status in Enum.GetValues<ConsulSniStatus>())
        {
            Assert.False(string.IsNullOrWhiteSpace(ConsulSniParser.Describe(status)));
        }
    }
}
