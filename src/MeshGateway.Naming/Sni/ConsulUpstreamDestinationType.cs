namespace MeshGateway.Naming;

/// <summary>What an upstream points at (Consul's <c>Upstream.DestinationType</c>).</summary>
public enum ConsulUpstreamDestinationType
{
    /// <summary>A service (Consul's <c>"service"</c>, also the meaning of an empty type).</summary>
    Service = 0,

    /// <summary>A prepared query (Consul's <c>"prepared_query"</c>).</summary>
    PreparedQuery = 1,
}
