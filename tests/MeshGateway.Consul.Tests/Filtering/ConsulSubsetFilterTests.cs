using MeshGateway.Consul.Filtering;
using MeshGateway.Consul.Watch;

namespace MeshGateway.Consul.Tests.Filtering;

/// <summary>Evaluating a subset filter against Connect instances as go-bexpr does, and refusing what cannot be evaluated here.</summary>
public class ConsulSubsetFilterTests
{
    private static readonly ConsulServiceEndpoint V1 = new("web", null, null, "node-a", "web-sidecar-proxy-1", "10.0.0.1", 21000)
    {
        Tags = ["primary", "canary"],
        Meta = new Dictionary<string, string> { ["version"] = "v1", ["build-id"] = "abc-123", ["empty"] = "" },
        NodeMeta = new Dictionary<string, string> { ["zone"] = "us-east-1a" },
        NodeAddress = "10.0.0.1",
    };

    private static readonly ConsulServiceEndpoint V2 = new("web", null, null, "node-b", "web-sidecar-proxy-2", "10.0.0.2", 21001)
    {
        Meta = new Dictionary<string, string> { ["version"] = "v2" },
        NodeAddress = "10.0.0.2",
    };

    [Theory]
    [InlineData("Service.Meta.version == v1", true, false)]
    [InlineData("Service.Meta.version != v1", false, true)]
    [InlineData("Service.Meta[\"build-id\"] == \"abc-123\"", true, false)]
    [InlineData("\"canary\" in Service.Tags", true, false)]
    [InlineData("\"canary\" not in Service.Tags", false, true)]
    [InlineData("Service.Tags contains primary", true, false)]
    [InlineData("Service.Tags is empty", false, true)]
    [InlineData("Service.Tags is not empty", true, false)]
    [InlineData("\"build-id\" in Service.Meta", true, false)]
    [InlineData("Service.Meta contains version", true, true)]
    [InlineData("Service.Meta.empty is empty", true, true)]
    [InlineData("Service.Meta.version contains 2", false, true)]
    [InlineData("Service.Meta.version matches \"^v[0-9]$\"", true, true)]
    [InlineData("Service.Meta.version not matches \"1$\"", false, true)]
    [InlineData("Node.Meta.zone == \"us-east-1a\"", true, false)]
    [InlineData("Node.Node == \"node-b\"", false, true)]
    [InlineData("Node.Address == \"10.0.0.1\"", true, false)]
    [InlineData("Service.ID == \"web-sidecar-proxy-2\"", false, true)]
    [InlineData("Service.Port == 21001", false, true)]
    [InlineData("Service.Port != 21001", true, false)]
    [InlineData("Service.Meta.version == v1 or Service.Meta.version == v2", true, true)]
    [InlineData("not (Service.Meta.version == v1) and Node.Node == \"node-b\"", false, true)]
    public void Each_operator_selects_the_instances_go_bexpr_would(string filter, bool v1, bool v2)
    {
        Assert.True(ConsulSubsetFilter.TryCreate(filter, out ConsulSubsetFilter? subset, out string? error), error);
        Assert.Equal((v1, v2), (subset.Matches(V1), subset.Matches(V2)));
    }

    [Fact]
    public void A_bare_value_cannot_hold_a_dash_so_the_filter_is_refused_as_consul_refuses_it()
    {
        Assert.False(ConsulSubsetFilter.TryCreate("Node.Meta.zone == us-east-1a", out _, out string? error));
        Assert.Equal("invalid filter: unexpected '-' at character 21; expected 'and', 'or' or the end", error);
    }

    [Theory]
    [InlineData("Service.Meta.missing == x", false)]
    [InlineData("Service.Meta.missing != x", true)]
    [InlineData("x in Service.Meta.missing", false)]
    [InlineData("x not in Service.Meta.missing", true)]
    [InlineData("Service.Meta.missing contains x", false)]
    [InlineData("Service.Meta.missing not contains x", true)]
    [InlineData("Service.Meta.missing matches x", false)]
    [InlineData("Service.Meta.missing not matches x", true)]
    [InlineData("Service.Meta.missing is empty", true)]
    [InlineData("Service.Meta.missing is not empty", false)]
    public void A_missing_key_makes_the_negated_forms_and_is_empty_true(string filter, bool expected)
    {
        Assert.True(ConsulSubsetFilter.TryCreate(filter, out ConsulSubsetFilter? subset, out string? error), error);
        Assert.Equal(expected, subset.Matches(V2));
    }

    [Theory]
    [InlineData("Service.Weights.Passing == 1", "selector Service.Weights.Passing is not one this gateway evaluates")]
    [InlineData("Checks.Status == passing", "selector Checks.Status is not one this gateway evaluates")]
    [InlineData("Service.Tags == canary", "selector Service.Tags (list) does not take the operator in 'Service.Tags == \"canary\"'")]
    [InlineData("Service.Meta matches x", "selector Service.Meta (map) does not take the operator in 'Service.Meta matches \"x\"'")]
    [InlineData("Service.Port is empty", "selector Service.Port (number) does not take the operator in 'Service.Port is empty'")]
    [InlineData("Service.Meta.version matches \"(a)\\\\1\"", "the pattern in 'Service.Meta.version matches \"(a)\\\\1\"' cannot be evaluated: ")]
    [InlineData("Service.Meta.version ==", "invalid filter: unexpected end of filter; expected a value (a quoted string or a word)")]
    public void A_filter_this_gateway_cannot_evaluate_is_refused_with_the_reason(string filter, string reason)
    {
        Assert.False(ConsulSubsetFilter.TryCreate(filter, out ConsulSubsetFilter? subset, out string? error));
        Assert.Null(subset);
        Assert.StartsWith(reason, error, StringComparison.Ordinal);
    }
}
