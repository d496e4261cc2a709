namespace MeshGateway.Forwarding;

/// <summary>
/// The Consul agent a mesh gateway follows (the <c>consul</c> section of a <c>meshgw run</c> file), the values
/// <c>meshgw gateway --consul</c> takes as flags. Each value left out is taken from the environment Consul's own
/// clients read (<c>CONSUL_HTTP_ADDR</c>, <c>CONSUL_HTTP_TOKEN</c>, <c>CONSUL_HTTP_TOKEN_FILE</c>, <c>CONSUL_CACERT</c>,
/// <c>CONSUL_CLIENT_CERT</c>, <c>CONSUL_CLIENT_KEY</c>, <c>CONSUL_TLS_SERVER_NAME</c>, <c>CONSUL_NAMESPACE</c>); a
/// value given here wins. Plain values: this package does not talk to Consul (MeshGateway.Consul does).
/// </summary>
public sealed class MeshGatewayConsulOptions
{
    /// <summary>The agent's HTTP address, <c>http(s)://host:port</c> or <c>host:port</c> (<c>http</c>).</summary>
    public string? Address { get; init; }

    /// <summary>The ACL token sent as <c>X-Consul-Token</c>; not together with <see cref="TokenFile"/>.</summary>
    public string? Token { get; init; }

    /// <summary>A file holding the ACL token (relative to <see cref="MeshGatewayOptions.BaseDirectory"/>).</summary>
    public string? TokenFile { get; init; }

    /// <summary>The CA certificate (PEM) that signs an <c>https</c> agent's certificate.</summary>
    public string? CaFile { get; init; }

    /// <summary>The client certificate (PEM) for an agent that verifies clients; with <see cref="ClientKeyFile"/>.</summary>
    public string? ClientCertFile { get; init; }

    /// <summary>The client certificate's key (PEM); with <see cref="ClientCertFile"/>.</summary>
    public string? ClientKeyFile { get; init; }

    /// <summary>The name the agent's certificate is checked against, when not the address's host.</summary>
    public string? TlsServerName { get; init; }

    /// <summary>The Consul namespace queries are made in (Consul Enterprise).</summary>
    public string? Namespace { get; init; }

    /// <summary>The gateway's own registration with the agent; <see langword="null"/> for none.</summary>
    public MeshGatewayConsulRegisterOptions? Register { get; init; }
}
