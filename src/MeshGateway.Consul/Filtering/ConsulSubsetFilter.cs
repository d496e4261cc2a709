using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.RegularExpressions;
using MeshGateway.Consul.Watch;

namespace MeshGateway.Consul.Filtering;

/// <summary>
/// A <c>service-resolver</c> subset's <c>Filter</c>, parsed and checked, evaluated against the Connect-capable instances
/// <c>GET /v1/health/connect/:service</c> returns (as Consul evaluates it, with go-bexpr). The selectors this gateway
/// can evaluate are <c>Service.ID</c>, <c>Service.Port</c>, <c>Service.Tags</c>, <c>Service.Meta</c> (and
/// <c>Service.Meta.&lt;key&gt;</c>), <c>Service.Namespace</c>, <c>Service.Partition</c>, <c>Node.Node</c>,
/// <c>Node.Address</c> and <c>Node.Meta</c> (and <c>Node.Meta.&lt;key&gt;</c>); a filter using anything else, or an
/// operator the selected value does not take, is refused with the reason (the subset then gets no route: never a guess).
/// A key absent from a map matches as go-bexpr does: <c>!=</c>, <c>not in</c>, <c>not contains</c>, <c>not matches</c> and
/// <c>is empty</c> are true, the others false.
/// </summary>
internal sealed class ConsulSubsetFilter
{
    private readonly ConsulFilterNode _root;
    private readonly Dictionary<ConsulFilterMatch, Regex> _patterns;

    private ConsulSubsetFilter(ConsulFilterNode root, Dictionary<ConsulFilterMatch, Regex> patterns)
    {
        _root = root;
        _patterns = patterns;
    }

    /// <summary>The kind of value a selector picks.</summary>
    private enum ValueKind
    {
        Text,
        Number,
        List,
        Map,
    }

    /// <summary>Parses and checks <paramref name="text"/>; false with the reason when it cannot be evaluated here.</summary>
    public static bool TryCreate(string text, [NotNullWhen(true)] out ConsulSubsetFilter? filter, [NotNullWhen(false)] out string? error)
    {
        filter = null;
        if (!ConsulFilterParser.TryParse(text, out ConsulFilterNode? root, out error))
        {
            error = "invalid filter: " + error;
            return false;
        }

        var patterns = new Dictionary<ConsulFilterMatch, Regex>(ReferenceEqualityComparer.Instance);
        if (!Check(root, patterns, out error))
        {
            return false;
        }

        filter = new ConsulSubsetFilter(root, patterns);
        return true;
    }

    /// <summary>Whether <paramref name="instance"/> is in the subset.</summary>
    public bool Matches(ConsulServiceEndpoint instance) => Evaluate(_root, instance);

    private static bool Check(ConsulFilterNode node, Dictionary<ConsulFilterMatch, Regex> patterns, [NotNullWhen(false)] out string? error)
    {
        switch (node)
        {
            case ConsulFilterOr or:
                return Check(or.Left, patterns, out error) && Check(or.Right, patterns, out error);
            case ConsulFilterAnd and:
                return Check(and.Left, patterns, out error) && Check(and.Right, patterns, out error);
            case ConsulFilterNot not:
                return Check(not.Operand, patterns, out error);
        }

        var match = (ConsulFilterMatch)node;
        string selector = string.Join('.', match.Selector);
        if (KindOf(match.Selector) is not { } kind)
        {
            error = $"selector {selector} is not one this gateway evaluates (Service.ID, Service.Port, Service.Tags, Service.Meta, Service.Namespace, Service.Partition, Node.Node, Node.Address, Node.Meta)";
            return false;
        }

        bool allowed = match.Operator switch
        {
            ConsulFilterOperator.Equal or ConsulFilterOperator.NotEqual => kind is ValueKind.Text or ValueKind.Number,
            ConsulFilterOperator.IsEmpty or ConsulFilterOperator.IsNotEmpty => kind is not ValueKind.Number,
            ConsulFilterOperator.Matches or ConsulFilterOperator.NotMatches => kind is ValueKind.Text,
            _ => kind is not ValueKind.Number,
        };
        if (!allowed)
        {
            error = $"selector {selector} ({kind.ToString().ToLowerInvariant()}) does not take the operator in '{match}'";
            return false;
        }

        if (match.Operator is ConsulFilterOperator.Matches or ConsulFilterOperator.NotMatches)
        {
            try
            {
                // RE2 (Go's regexp) runs in linear time; NonBacktracking keeps that guarantee for untrusted patterns.
                patterns[match] = new Regex(match.Value!, RegexOptions.NonBacktracking | RegexOptions.CultureInvariant);
            }
            catch (Exception e) when (e is ArgumentException or NotSupportedException)
            {
                error = $"the pattern in '{match}' cannot be evaluated: {e.Message}";
                return false;
            }
        }

        error = null;
        return true;
    }

    private static ValueKind? KindOf(IReadOnlyList<string> selector) => selector switch
    {
        ["Service", "ID" or "Namespace" or "Partition"] or ["Node", "Node" or "Address"] => ValueKind.Text,
        ["Service", "Port"] => ValueKind.Number,
        ["Service", "Tags"] => ValueKind.List,
        ["Service" or "Node", "Meta"] => ValueKind.Map,
        ["Service" or "Node", "Meta", _] => ValueKind.Text,
        _ => null,
    };

    private bool Evaluate(ConsulFilterNode node, ConsulServiceEndpoint instance) => node switch
    {
        ConsulFilterOr or => Evaluate(or.Left, instance) || Evaluate(or.Right, instance),
        ConsulFilterAnd and => Evaluate(and.Left, instance) && Evaluate(and.Right, instance),
        ConsulFilterNot not => !Evaluate(not.Operand, instance),
        _ => EvaluateMatch((ConsulFilterMatch)node, instance),
    };

    private bool EvaluateMatch(ConsulFilterMatch match, ConsulServiceEndpoint instance)
    {
        bool negated = match.Operator is ConsulFilterOperator.NotEqual or ConsulFilterOperator.NotIn
            or ConsulFilterOperator.NotContains or ConsulFilterOperator.NotMatches or ConsulFilterOperator.IsNotEmpty;
        bool positive = match.Selector switch
        {
            ["Service", "Port"] => MatchNumber(match, instance.Port),
            ["Service", "Tags"] => MatchCollection(match, instance.Tags.Count, key => instance.Tags.Contains(key, StringComparer.Ordinal)),
            ["Service", "Meta"] => MatchCollection(match, instance.Meta.Count, instance.Meta.ContainsKey),
            ["Node", "Meta"] => MatchCollection(match, instance.NodeMeta.Count, instance.NodeMeta.ContainsKey),
            ["Service", "Meta", string key] => instance.Meta.TryGetValue(key, out string? value) ? MatchText(match, value) : Missing(match),
            ["Node", "Meta", string key] => instance.NodeMeta.TryGetValue(key, out string? value) ? MatchText(match, value) : Missing(match),
            ["Service", "ID"] => MatchText(match, instance.ServiceId),
            ["Service", "Namespace"] => MatchText(match, instance.Namespace ?? ""),
            ["Service", "Partition"] => MatchText(match, instance.Partition ?? ""),
            ["Node", "Node"] => MatchText(match, instance.Node),
            _ => MatchText(match, instance.NodeAddress ?? ""),
        };
        return negated ? !positive : positive;
    }

    /// <summary>The un-negated operator's result for a key absent from a map (go-bexpr: the negated forms are then true).</summary>
    private static bool Missing(ConsulFilterMatch match) => match.Operator is ConsulFilterOperator.IsEmpty or ConsulFilterOperator.IsNotEmpty;

    private bool MatchText(ConsulFilterMatch match, string value) => match.Operator switch
    {
        ConsulFilterOperator.Equal or ConsulFilterOperator.NotEqual => string.Equals(value, match.Value, StringComparison.Ordinal),
        ConsulFilterOperator.IsEmpty or ConsulFilterOperator.IsNotEmpty => value.Length == 0,
        ConsulFilterOperator.Matches or ConsulFilterOperator.NotMatches => _patterns[match].IsMatch(value),
        _ => value.Contains(match.Value!, StringComparison.Ordinal),
    };

    private static bool MatchNumber(ConsulFilterMatch match, int value) =>
        long.TryParse(match.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long wanted) && wanted == value;

    private static bool MatchCollection(ConsulFilterMatch match, int count, Func<string, bool> contains) =>
        match.Operator is ConsulFilterOperator.IsEmpty or ConsulFilterOperator.IsNotEmpty ? count == 0 : contains(match.Value!);
}
