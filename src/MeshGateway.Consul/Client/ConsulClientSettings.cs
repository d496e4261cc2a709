namespace MeshGateway.Consul.Client;

/// <summary>
/// Values given explicitly (command-line flags, a configuration section) for reaching a Consul agent. Each one that is
/// set wins over the environment variable Consul's own clients read; see <see cref="ConsulClientOptions.Create"/>.
/// </summary>
public sealed record ConsulClientSettings
{
    /// <summary>The agent's HTTP API address (<c>-http-addr</c>, <c>CONSUL_HTTP_ADDR</c>): a URL or a scheme-less <c>host:port</c>.</summary>
    public string? Address { get; init; }

    /// <summary>The ACL token (<c>-token</c>, <c>CONSUL_HTTP_TOKEN</c>).</summary>
    public string? Token { get; init; }

    /// <summary>A file holding the ACL token (<c>-token-file</c>, <c>CONSUL_HTTP_TOKEN_FILE</c>).</summary>
    public string? TokenFile { get; init; }

    /// <summary>A PEM file of CA certificates that verify the agent (<c>-ca-file</c>, <c>CONSUL_CACERT</c>).</summary>
    public string? CaCertFile { get; init; }

    /// <summary>A PEM client certificate (<c>-client-cert</c>, <c>CONSUL_CLIENT_CERT</c>).</summary>
    public string? ClientCertFile { get; init; }

    /// <summary>The PEM private key of the client certificate (<c>-client-key</c>, <c>CONSUL_CLIENT_KEY</c>).</summary>
    public string? ClientKeyFile { get; init; }

    /// <summary>The TLS server name (SNI) sent to the agent (<c>-tls-server-name</c>, <c>CONSUL_TLS_SERVER_NAME</c>).</summary>
    public string? TlsServerName { get; init; }

    /// <summary>The namespace queried (Consul Enterprise; <c>-namespace</c>, <c>CONSUL_NAMESPACE</c>).</summary>
    public string? Namespace { get; init; }

    /// <summary>The admin partition queried (Consul Enterprise; <c>-partition</c>, <c>CONSUL_PARTITION</c>).</summary>
    public string? Partition { get; init; }

    /// <summary>The agent's own datacenter (no environment variable; the gateway's <c>--datacenter</c>).</summary>
    public string? Datacenter { get; init; }
}
