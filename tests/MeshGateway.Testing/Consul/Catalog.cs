namespace MeshGateway.Testing.Consul;

/// <summary>Consul API bodies for the fake agent, in the shapes Consul's API documentation gives.</summary>
public static class Catalog
{
    /// <summary>A test-wide bound on waits that only a broken implementation reaches.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    public static string Services(params string[] names) =>
        "{" + string.Join(",", names.Select(n => $"\"{n}\":[]")) + "}";

    public static string Datacenters(params string[] names) => "[" + string.Join(",", names.Select(n => $"\"{n}\"")) + "]";

    /// <summary>A <c>/v1/health/connect</c> entry: a sidecar proxy of <paramref name="destination"/>.</summary>
    public static string Proxy(string destination, string node, string nodeAddress, string serviceAddress, int port, string? ns = null, string? partition = null)
    {
        string scope = (ns is null ? "" : "\"Namespace\":\"" + ns + "\",") + (partition is null ? "" : "\"Partition\":\"" + partition + "\",");
        return $$$"""
            {"Node":{"Node":"{{{node}}}","Address":"{{{nodeAddress}}}","Datacenter":"dc1","TaggedAddresses":{"lan":"{{{nodeAddress}}}","wan":"{{{nodeAddress}}}"}},
             "Service":{"ID":"{{{destination}}}-sidecar-proxy-{{{node}}}","Service":"{{{destination}}}-sidecar-proxy","Kind":"connect-proxy",
               "Address":"{{{serviceAddress}}}","Port":{{{port}}},{{{scope}}}
               "Proxy":{"DestinationServiceName":"{{{destination}}}"},"CreateIndex":12,"ModifyIndex":12},
             "Checks":[{"Node":"{{{node}}}","CheckID":"serfHealth","Status":"passing"}]}
            """;
    }

    /// <summary>A mesh gateway entry of another datacenter; null addresses are left out.</summary>
    public static string Gateway(string node, string nodeAddress, string? nodeWan, string serviceAddress, int port, string? serviceWan, int serviceWanPort)
    {
        string nodeWanJson = nodeWan is null ? "" : ",\"wan\":\"" + nodeWan + "\"";
        string serviceWanJson = serviceWan is null ? "" : ",\"wan\":{\"Address\":\"" + serviceWan + "\",\"Port\":" + serviceWanPort + "}";
        return $$$"""
            {"Node":{"Node":"{{{node}}}","Address":"{{{nodeAddress}}}","TaggedAddresses":{"lan":"{{{nodeAddress}}}"{{{nodeWanJson}}}}},
             "Service":{"ID":"mesh-gateway","Service":"mesh-gateway","Kind":"mesh-gateway","Address":"{{{serviceAddress}}}","Port":{{{port}}},
               "TaggedAddresses":{"lan":{"Address":"{{{serviceAddress}}}","Port":{{{port}}}}{{{serviceWanJson}}}}},
             "Checks":[]}
            """;
    }

    public static string List(params string[] entries) => "[" + string.Join(",", entries) + "]";

    public static string Roots(string trustDomain) =>
        $$$"""{"ActiveRootID":"c7:bd","TrustDomain":"{{{trustDomain}}}","Roots":[{"ID":"c7:bd","Name":"Consul CA Root Cert","Active":true}]}""";
}
