using System.Net;
using MeshGateway.Forwarding;

namespace MeshGateway.Cli.Commands.Gateway;

/// <summary>The parsed, checked arguments of <c>meshgw gateway</c>.</summary>
internal sealed record GatewaySettings(
    IPEndPoint Listen,
    string Datacenter,
    string? Partition,
    string? TrustDomain,
    IReadOnlyList<(string Name, UpstreamEndpoint[] Endpoints)> Services,
    IReadOnlyList<(string Sni, UpstreamEndpoint[] Endpoints)> ServiceSnis,
    IReadOnlyList<(string Datacenter, string? Partition, UpstreamEndpoint[] Endpoints)> RemoteGateways)
{
    /// <summary>
    /// Parses every argument, collecting every problem (nothing stops at the first): each bad name is reported under
    /// its own flag with the allowed characters (<see cref="NameChecks"/>), and entries with bad names are left out,
    /// so the options (<see cref="ToOptions"/>) hold only names already known to be valid.
    /// </summary>
    public static GatewaySettings Create(
        string listen,
        string datacenter,
        string? partition,
        string? trustDomain,
        IEnumerable<string> services,
        IEnumerable<string> serviceSnis,
        IEnumerable<string> remoteGateways,
        List<string> errors)
    {
        IPEndPoint? listenEndPoint = ParseListen(listen, errors);
        NameChecks.Datacenter(errors, "--datacenter", "datacenter", datacenter);
        NameChecks.OptionalLabel(errors, "--partition", "partition", partition);
        if (!string.IsNullOrEmpty(trustDomain))
        {
            NameChecks.Name(errors, "--trust-domain", "trust domain", trustDomain);
        }
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var parsedServices = new List<(string, UpstreamEndpoint[])>();
        foreach (string value in services)
        {
            int equals = value.IndexOf('=', StringComparison.Ordinal);
            string name = equals < 0 ? value : value[..equals];
            if (name.Length == 0)
            {
                errors.Add($"--service '{value}': the service name is empty.");
                continue;
            }

            UpstreamEndpoint[] endpoints = equals < 0 ? [] : ParseEndpoints("--service", value, value[(equals + 1)..], errors);
            if (NameChecks.Label(errors, "--service", "service", name) && Unique(errors, seen, "--service", value, "service " + name))
            {
                parsedServices.Add((name, endpoints));
            }
        }

        var parsedSnis = new List<(string, UpstreamEndpoint[])>();
        foreach (string value in serviceSnis)
        {
            if (SplitPair("--service-sni", value, errors) is (string sni, string endpoints))
            {
                UpstreamEndpoint[] parsed = ParseEndpoints("--service-sni", value, endpoints, errors);
                if (NameChecks.Name(errors, "--service-sni", "server name", sni) && Unique(errors, seen, "--service-sni", value, "sni " + sni.TrimEnd('.')))
                {
                    parsedSnis.Add((sni, parsed));
                }
            }
        }

        var parsedRemotes = new List<(string, string?, UpstreamEndpoint[])>();
        foreach (string value in remoteGateways)
        {
            if (SplitPair("--remote-gateway", value, errors) is (string key, string endpoints))
            {
                int slash = key.IndexOf('/', StringComparison.Ordinal);
                string dc = slash < 0 ? key : key[..slash];
                string? remotePartition = slash < 0 ? null : key[(slash + 1)..];
                if (dc.Length == 0 || remotePartition is { Length: 0 })
                {
                    errors.Add($"--remote-gateway '{value}': expected DC[/PARTITION]=ENDPOINTS.");
                    continue;
                }

                UpstreamEndpoint[] parsed = ParseEndpoints("--remote-gateway", value, endpoints, errors);
                if (NameChecks.Datacenter(errors, "--remote-gateway", "datacenter", dc)
                    & NameChecks.OptionalLabel(errors, "--remote-gateway", "partition", remotePartition)
                    && Unique(errors, seen, "--remote-gateway", value, $"remote {dc}/{(string.IsNullOrEmpty(remotePartition) ? "default" : remotePartition)}"))
                {
                    parsedRemotes.Add((dc, remotePartition, parsed));
                }
            }
        }

        // Returned even when something failed; the caller composes it and runs it only when there are no errors.
        return new GatewaySettings(
            listenEndPoint ?? new IPEndPoint(IPAddress.Loopback, 0),
            datacenter,
            string.IsNullOrEmpty(partition) ? null : partition,
            string.IsNullOrEmpty(trustDomain) ? null : trustDomain,
            parsedServices,
            parsedSnis,
            parsedRemotes);
    }

    /// <summary>
    /// The flags on the library's model, for <see cref="MeshGatewayComposer"/> (the code <c>meshgw run</c> composes
    /// with): <c>--service</c> entries first, then <c>--service-sni</c>, then <c>--remote-gateway</c>, in flag order.
    /// </summary>
    /// <param name="consul">The <c>--consul</c> flags as the <c>consul</c> section, or null without <c>--consul</c>.</param>
    public MeshGatewayOptions ToOptions(MeshGatewayConsulOptions? consul) => new()
    {
        Datacenter = Datacenter,
        Partition = Partition,
        TrustDomain = TrustDomain,
        Listeners = [Listen.ToString()],
        Services =
        [
            .. Services.Select(s => new MeshGatewayServiceOptions { Name = s.Name, Endpoints = Texts(s.Endpoints) }),
            .. ServiceSnis.Select(s => new MeshGatewayServiceOptions { Sni = s.Sni, Endpoints = Texts(s.Endpoints) }),
        ],
        RemoteGateways = [.. RemoteGateways.Select(r => new MeshGatewayRemoteGatewayOptions { Datacenter = r.Datacenter, Partition = r.Partition, Endpoints = Texts(r.Endpoints) })],
        Consul = consul,
    };

    /// <summary>
    /// The flag a composer problem about <see cref="ToOptions"/>'s result belongs to: <c>--service</c> or
    /// <c>--service-sni</c> by the entry's index, each <c>consul</c> key by its flag; the JSON path for anything else.
    /// </summary>
    public string FlagOf(MeshGatewayOptionsProblem problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        IReadOnlyList<string> path = problem.Path;
        string? At(int i) => path.Count > i ? path[i] : null;
        return At(0) switch
        {
            nameof(MeshGatewayOptions.Listeners) => "--listen",
            nameof(MeshGatewayOptions.Datacenter) => "--datacenter",
            nameof(MeshGatewayOptions.Partition) => "--partition",
            nameof(MeshGatewayOptions.TrustDomain) => "--trust-domain",
            nameof(MeshGatewayOptions.Services) when At(1) is { } index && MeshGatewayOptionsProblem.IsIndex(index)
                && int.Parse(index, System.Globalization.CultureInfo.InvariantCulture) >= Services.Count => "--service-sni",
            nameof(MeshGatewayOptions.Services) => "--service",
            nameof(MeshGatewayOptions.RemoteGateways) => "--remote-gateway",
            nameof(MeshGatewayOptions.Consul) => (At(1), At(2)) switch
            {
                (nameof(MeshGatewayConsulOptions.Token), _) => "--consul-token",
                (nameof(MeshGatewayConsulOptions.Register), nameof(MeshGatewayConsulRegisterOptions.Name)) => "--register-name",
                (nameof(MeshGatewayConsulOptions.Register), nameof(MeshGatewayConsulRegisterOptions.Address)) => "--register-address",
                (nameof(MeshGatewayConsulOptions.Register), nameof(MeshGatewayConsulRegisterOptions.WanAddress)) => "--register-wan-address",
                (nameof(MeshGatewayConsulOptions.Register), _) => "--register",
                _ => "--consul",
            },
            _ => problem.ToJsonPath(),
        };
    }

    private static string[] Texts(UpstreamEndpoint[] endpoints) => [.. endpoints.Select(e => e.ToString())];

    private static IPEndPoint? ParseListen(string listen, List<string> errors)
    {
        // "::1" or "127.0.0.1" without a port once bound a random port; the port is always required (0 asks for one).
        if (ListenAddress.TryParse(listen, out IPEndPoint? endPoint, out string? problem))
        {
            return endPoint;
        }

        errors.Add($"--listen '{listen}': {problem}");
        return null;
    }

    /// <summary>A second flag for the same route (names compare case-insensitively, as they route) is an error naming the flag.</summary>
    private static bool Unique(List<string> errors, HashSet<string> seen, string option, string value, string key)
    {
        if (seen.Add(key))
        {
            return true;
        }

        errors.Add($"{option} '{value}': the same route is given twice (names compare case-insensitively).");
        return false;
    }

    private static (string Key, string Value)? SplitPair(string option, string value, List<string> errors)
    {
        int equals = value.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0 || equals == value.Length - 1)
        {
            errors.Add($"{option} '{value}': expected KEY=ENDPOINTS.");
            return null;
        }

        return (value[..equals], value[(equals + 1)..]);
    }

    private static UpstreamEndpoint[] ParseEndpoints(string option, string value, string endpoints, List<string> errors)
    {
        var parsed = new List<UpstreamEndpoint>();
        foreach (string text in endpoints.Split(',', StringSplitOptions.TrimEntries))
        {
            if (UpstreamEndpoint.TryParse(text, out UpstreamEndpoint? endpoint))
            {
                parsed.Add(endpoint!);
            }
            else
            {
                errors.Add($"{option} '{value}': endpoint '{text}' is not HOST:PORT.");
            }
        }

        return [.. parsed];
    }
}
