using FsCheck.Xunit;

namespace MeshGateway.Naming.Tests.Sni;

[Properties(Arbitrary = [typeof(NamingArbitraries)], MaxTest = 1000)]
public class ConsulSniPropertyTests
{
    /// <summary>Consul's rules written the plain way: a list of labels joined by dots (spec §2.2).</summary>
    private static string Reference(NameSpec s)
    {
        string ns = string.IsNullOrEmpty(s.Namespace) ? "default" : s.Namespace;
        string partition = string.IsNullOrEmpty(s.Partition) ? "default" : s.Partition;
        bool defaultPartition = partition == "default";
        var labels = new List<string>();
        switch (s.Kind)
        {
            case ConsulSniKind.Service:
                if (!string.IsNullOrEmpty(s.Subset))
                {
                    labels.Add(s.Subset);
                }

                labels.AddRange(defaultPartition ? [s.Service, ns, s.Datacenter, "internal"] : [s.Service, ns, partition, s.Datacenter, "internal-v1"]);
                break;
            case ConsulSniKind.Gateway:
                labels.AddRange(defaultPartition ? [s.Datacenter, "internal"] : [partition, s.Datacenter, "internal-v1"]);
                break;
            case ConsulSniKind.PreparedQuery:
                labels.AddRange([s.Query, "default", s.Datacenter, "query"]);
                break;
            default:
                labels.AddRange([s.Service, ns, partition, s.Peer, "external"]);
                break;
        }

        labels.Add(s.TrustDomain);
        return string.Join('.', labels);
    }

    [Property]
    public bool Builders_produce_consuls_dot_joined_labels(NameSpec spec) =>
        spec.Build().ToString() == Reference(spec);

    [Property]
    public bool Parsing_a_formatted_name_with_its_trust_domain_gives_back_the_same_name(NameSpec spec)
    {
        ConsulSniName name = spec.Build();
        return ConsulSniName.TryParse(name.ToString(), name.TrustDomain, out ConsulSniName parsed) && parsed == name;
    }

    [Property]
    public bool Parsing_without_trust_domain_gives_back_the_same_name_or_reports_ambiguity(NameSpec spec)
    {
        ConsulSniName name = spec.Build();
        bool ok = ConsulSniName.TryParse(name.ToString(), null, out ConsulSniName parsed, out ConsulSniStatus status);
        return ok ? parsed == name : status == ConsulSniStatus.Ambiguous;
    }

    [Property]
    public bool Builder_output_parses_to_the_same_parts_in_the_span_view(NameSpec spec)
    {
        ConsulSniName name = spec.Build();
        string text = name.ToString();
        if (ConsulSniParser.Parse(text, name.TrustDomain, out ConsulSniView view) != ConsulSniStatus.Valid)
        {
            return false;
        }

        return view.Kind == name.Kind
            && view.Service.SequenceEqual(name.Service)
            && view.Subset.SequenceEqual(name.Subset)
            && view.Namespace.SequenceEqual(name.Namespace)
            && view.Partition.SequenceEqual(name.Partition)
            && view.Datacenter.SequenceEqual(name.Datacenter)
            && view.Peer.SequenceEqual(name.Peer)
            && view.Query.SequenceEqual(name.Query)
            && view.TrustDomain.SequenceEqual(name.TrustDomain);
    }

    [Property]
    public bool Trust_domain_matching_ignores_ascii_case_and_a_final_dot(NameSpec spec)
    {
        ConsulSniName name = spec.Build();
        string upper = name.ToString().ToUpperInvariant() + ".";
        return ConsulSniParser.Parse(upper, name.TrustDomain.ToLowerInvariant(), out ConsulSniView view) == ConsulSniStatus.Valid
            && view.Kind == name.Kind;
    }

    [Property]
    public bool Length_is_what_TryFormat_writes(NameSpec spec)
    {
        ConsulSniName name = spec.Build();
        Span<char> buffer = stackalloc char[512];
        return name.TryFormat(buffer, out int written) && written == name.Length && buffer[..written].SequenceEqual(name.ToString());
    }

    [Property]
    public bool Parser_never_throws_on_arbitrary_text(string? text, bool withTrustDomain)
    {
        string input = text ?? string.Empty;
        ConsulSniStatus status = ConsulSniParser.Parse(input, withTrustDomain ? "td" : default, out ConsulSniView view);
        return Enum.IsDefined(status) && (status == ConsulSniStatus.Valid) == (view.Kind != ConsulSniKind.None);
    }
}
