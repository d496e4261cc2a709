using System.CommandLine;

namespace MeshGateway.Cli.Commands.Resolve;

/// <summary>The options of <c>meshgw resolve</c>, in the order of the contract.</summary>
internal sealed class ResolveOptions
{
    public ResolveOptions()
    {
        Layers =
        [
            Mode("--upstream", "The upstream definition's mode (highest precedence). With --entries: the upstream's destination name."),
            Mode("--upstream-override", "The downstream's service-defaults UpstreamConfig.Overrides entry for this upstream."),
            Mode("--proxy", "The proxy (service instance) registration's mode."),
            Mode("--upstream-defaults", "The downstream's service-defaults UpstreamConfig.Defaults."),
            Mode("--service-defaults", "The downstream's service-defaults top-level mode."),
            Mode("--proxy-defaults", "The global proxy-defaults mode."),
            Mode("--target-service-defaults", "The target service's own service-defaults mode (lowest precedence)."),
        ];
        FlagsOnly = [.. Layers.Skip(1), TargetDatacenter, TargetPartition, Peer, External, PreparedQuery];
        All = [.. Layers, LocalDatacenter, TargetDatacenter, LocalPartition, TargetPartition, Peer, External, PreparedQuery, Entries, Consul, ConsulToken, Service];
    }

    /// <summary>The seven layer options, highest precedence first (the order of <c>MeshGatewayModeLayers</c>).</summary>
    public Option<string?>[] Layers { get; }

    public Option<string?> LocalDatacenter { get; } = new("--local-datacenter")
    {
        Description = "The proxy's datacenter (default dc1).",
        HelpName = "D",
    };

    public Option<string?> TargetDatacenter { get; } = new("--target-datacenter")
    {
        Description = "The target's datacenter (default: the local datacenter).",
        HelpName = "D",
    };

    public Option<string?> LocalPartition { get; } = new("--local-partition")
    {
        Description = "The proxy's admin partition (default: default).",
        HelpName = "P",
    };

    public Option<string?> TargetPartition { get; } = new("--target-partition")
    {
        Description = "The target's admin partition (default: the local partition).",
        HelpName = "P",
    };

    public Option<string?> Peer { get; } = new("--peer")
    {
        Description = "The cluster peer the target is imported from.",
        HelpName = "NAME",
    };

    public Option<bool> External { get; } = new("--external")
    {
        Description = "The target's service-defaults set ExternalSNI: always dialled directly.",
    };

    public Option<bool> PreparedQuery { get; } = new("--prepared-query")
    {
        Description = "The upstream is a prepared query: never through a gateway.",
    };

    public Option<string[]> Entries { get; } = new("--entries")
    {
        Description = "A file of Consul config entries and registrations, HCL or JSON (.hcl/.json, else by content): one config entry, "
            + "one service registration or the combined form (docs/modes.md). Repeatable; use with --service and --upstream.",
        HelpName = "FILE",
        Arity = ArgumentArity.OneOrMore,
    };

    public Option<string?> Service { get; } = new("--service")
    {
        Description = "With --entries or --consul: the downstream service whose proxy dials the upstream, or the proxy's own name (web-sidecar-proxy).",
        HelpName = "S",
    };

    public Option<string?> Consul { get; } = new("--consul")
    {
        Description = "Resolve from a live Consul agent (http(s)://host:port or host:port; CONSUL_* environment as Consul's clients): "
            + "the proxy's registration and the proxy-defaults and service-defaults entries. Use with --service and --upstream.",
        HelpName = "URL",
    };

    public Option<string?> ConsulToken { get; } = new("--consul-token")
    {
        Description = "The Consul ACL token (default CONSUL_HTTP_TOKEN / CONSUL_HTTP_TOKEN_FILE).",
        HelpName = "TOKEN",
    };

    /// <summary>Options that describe the layers or target directly, so make no sense with --entries.</summary>
    public Option[] FlagsOnly { get; }

    public Option[] All { get; }

    private static Option<string?> Mode(string name, string description) => new(name)
    {
        Description = description + " One of \"\", none, local, remote.",
        HelpName = "M",
    };
}
