namespace MeshGateway.Consul.Client;

/// <summary>
/// How to reach a Consul agent's HTTP API: immutable and validated. Built by <see cref="Create"/> from explicit values
/// and the environment variables Consul's own clients read, explicit values winning, with every error reported at once.
/// </summary>
public sealed partial class ConsulClientOptions
{
    /// <summary>The address Consul's clients use when none is given: <c>http://127.0.0.1:8500</c>.</summary>
    public static readonly Uri DefaultAddress = new("http://127.0.0.1:8500/");

    private ConsulClientOptions(Uri address)
    {
        Address = address;
    }

    /// <summary>The agent's HTTP API base address (<c>http</c> or <c>https</c>, ending in <c>/</c>).</summary>
    public Uri Address { get; }

    /// <summary>The ACL token sent as <c>X-Consul-Token</c>, or null. Never logged, never put in a URL.</summary>
    public string? Token { get; private init; }

    /// <summary>The file the token was read from, or null.</summary>
    public string? TokenFile { get; private init; }

    /// <summary>A PEM file of CA certificates that verify the agent's certificate, or null for the system store.</summary>
    public string? CaCertFile { get; private init; }

    /// <summary>A PEM client certificate presented to the agent, or null.</summary>
    public string? ClientCertFile { get; private init; }

    /// <summary>The PEM private key of <see cref="ClientCertFile"/>, or null.</summary>
    public string? ClientKeyFile { get; private init; }

    /// <summary>The TLS server name sent to (and verified against) the agent, or null for the address's host.</summary>
    public string? TlsServerName { get; private init; }

    /// <summary>The namespace queried (<c>ns=</c>), or null for the token's or the default one.</summary>
    public string? Namespace { get; private init; }

    /// <summary>The admin partition queried (<c>partition=</c>), or null for the token's or the default one.</summary>
    public string? Partition { get; private init; }

    /// <summary>The agent's own datacenter, or null when not given.</summary>
    public string? Datacenter { get; private init; }

    /// <summary>A description without the token.</summary>
    /// <returns>The address and which credentials are set.</returns>
    public override string ToString() =>
        $"{Address} (token: {(Token is null ? "none" : "set")}, TLS CA: {CaCertFile ?? "system"}, client certificate: {ClientCertFile ?? "none"})";
}
