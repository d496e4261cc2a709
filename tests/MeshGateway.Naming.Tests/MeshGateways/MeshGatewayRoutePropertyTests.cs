using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace MeshGateway.Naming.Tests.MeshGateways;

/// <summary>A gateway's configuration and names to route, drawn from small pools so that hits and misses both occur often.</summary>
public sealed record GatewayScenario(
    string Partition,
    (string Service, string Namespace, string[] Subsets)[] Services,
    (string Datacenter, string Partition)[] Remotes,
    ConsulSniName[] Names)
{
    public const string Datacenter = "dc1";
    public const string Td = "11111111-2222-3333-4444-555555555555.consul";

    public override string ToString() =>
        $"gateway dc1/{Partition}; services [{string.Join(", ", Services.Select(s => $"{s.Service}.{s.Namespace}[{string.Join('|', s.Subsets)}]"))}]; "
        + $"remotes [{string.Join(", ", Remotes.Select(r => $"{r.Datacenter}/{r.Partition}"))}]; names [{string.Join(", ", Names)}]";
}

public static class GatewayScenarios
{
    private static readonly string[] Datacenters = ["dc1", "dc2", "dc3", "dc9"];
    private static readonly string[] Partitions = ["default", "part1"];
    private static readonly string[] ServiceNames = ["foo", "bar", "baz"];
    private static readonly string[] Namespaces = ["default", "ns1"];
    private static readonly string[] Subsets = ["v1", "v2", "v3"];

    private static Gen<ConsulSniName> Names =>
        from kind in Gen.Elements(ConsulSniKind.Service, ConsulSniKind.Service, ConsulSniKind.Service, ConsulSniKind.Gateway, ConsulSniKind.PreparedQuery, ConsulSniKind.Peered)
        from service in Gen.Elements(ServiceNames)
        from subset in Gen.Elements<string?>(null, null, "v1", "v2", "v3")
        from ns in Gen.Elements(Namespaces)
        from partition in Gen.Elements(Partitions)
        from dc in Gen.Elements(Datacenters)
        from td in Gen.Elements(GatewayScenario.Td, GatewayScenario.Td, GatewayScenario.Td, "99999999-2222-3333-4444-555555555555.consul")
        select kind switch
        {
            ConsulSniKind.Service => ConsulSniName.ForService(service, subset, ns, partition, dc, td),
            ConsulSniKind.Gateway => ConsulSniName.ForGateway(dc, partition, td),
            ConsulSniKind.PreparedQuery => ConsulSniName.ForPreparedQuery(service, dc, td),
            _ => ConsulSniName.ForPeeredService(service, ns, partition, dc, td),
        };

    public static Arbitrary<GatewayScenario> Scenarios() =>
        (from partition in Gen.Elements(Partitions)
         from services in Gen.SubListOf(ServiceNames)
         from namespaces in Gen.ArrayOf(Gen.Elements(Namespaces), 3)
         from subsets in Gen.ArrayOf(Gen.SubListOf(Subsets), 3)
         from remotes in Gen.SubListOf(Datacenters.SelectMany(dc => Partitions.Select(p => (dc, p))).ToArray())
         from names in Gen.ArrayOf(Names, 30)
         select new GatewayScenario(
             partition,
             services.Select((s, i) => (s, namespaces[i], subsets[i].ToArray())).ToArray(),
             remotes.ToArray(),
             names))
        .ToArbitrary();
}

[Properties(Arbitrary = [typeof(GatewayScenarios)], MaxTest = 300)]
public class MeshGatewayRoutePropertyTests
{
    /// <summary>
    /// Consul's decision (spec §4) from the parts of the name: a service of the gateway's own datacenter and partition
    /// goes to its cluster if the gateway has one (service, or a known subset); a service or gateway name of another
    /// known datacenter/partition goes to that gateway; nothing else (other trust domains, queries, peered names) routes.
    /// </summary>
    private static (bool Found, MeshGatewayRouteKind Kind, string? Cluster) Reference(GatewayScenario scenario, ConsulSniName name)
    {
        if (name.TrustDomain != GatewayScenario.Td || name.Kind is ConsulSniKind.PreparedQuery or ConsulSniKind.Peered)
        {
            return (false, default, null);
        }

        bool own = name.Datacenter == GatewayScenario.Datacenter && name.Partition == scenario.Partition;
        if (name.Kind == ConsulSniKind.Service && own)
        {
            bool local = scenario.Services.Any(s =>
                s.Service == name.Service && s.Namespace == name.Namespace && (name.Subset is null || s.Subsets.Contains(name.Subset)));
            return local ? (true, MeshGatewayRouteKind.LocalService, name.ToString()) : (false, default, null);
        }

        bool remote = !own && scenario.Remotes.Contains((name.Datacenter!, name.Partition!));
        return remote
            ? (true, MeshGatewayRouteKind.RemoteGateway, ConsulSni.Gateway(name.Datacenter!, name.Partition, GatewayScenario.Td))
            : (false, default, null);
    }

    [Property]
    public bool Gateway_table_routes_every_name_as_consul_decides(GatewayScenario scenario)
    {
        var builder = new MeshGatewayRouteBuilder(GatewayScenario.Datacenter, scenario.Partition, GatewayScenario.Td);
        foreach ((string service, string ns, string[] subsets) in scenario.Services)
        {
            builder.AddLocalService(service, ns, subsets);
        }

        foreach ((string dc, string partition) in scenario.Remotes)
        {
            builder.AddRemoteGateway(dc, partition);
        }

        SniRouteTable<MeshGatewayRoute> table = builder.Build();
        foreach (ConsulSniName name in scenario.Names)
        {
            bool found = table.TryLookup(name.ToString(), out MeshGatewayRoute? route, out _);
            var actual = (found, found ? route!.Kind : default, found ? route!.ClusterName : null);
            if (actual != Reference(scenario, name))
            {
                return false;
            }
        }

        return true;
    }
}
