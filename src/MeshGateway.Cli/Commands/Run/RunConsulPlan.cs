using System.Net;
using MeshGateway.Cli.Commands.Gateway;
using MeshGateway.Consul.Client;
using MeshGateway.Forwarding;

namespace MeshGateway.Cli.Commands.Run;

/// <summary>
/// A <c>meshgw run</c> mesh gateway with a <c>consul</c> section, on <c>meshgw gateway --consul</c>'s code: the
/// section's values win over the <c>CONSUL_*</c> environment (as that command's flags do), the file's
/// <c>services</c> (by name in any namespace, or by <c>sni</c>) and <c>remoteGateways</c> add to the agent's routes and
/// win on a conflict, and <c>consul.register</c> is <c>--register</c> (it registers the first listener). Every listener
/// serves the agent's routes with the file's <c>proxyProtocol</c> header, on the runner static files run on
/// (<see cref="GatewayRunner"/>: metrics lines included).
/// </summary>
/// <param name="Client">The agent's client options.</param>
/// <param name="Registration">The self-registration, or null.</param>
internal sealed record RunConsulPlan(ConsulClientOptions Client, ConsulSelfRegistration? Registration)
{
    /// <summary>
    /// Checks what following the agent needs beyond the composer's checks (the client's environment, the
    /// registration) and builds the plan; every problem at its path into <paramref name="problems"/>, null when there
    /// are any.
    /// </summary>
    public static RunConsulPlan? Create(MeshGatewayComposition composition, List<MeshGatewayOptionsProblem> problems, Func<string, string?>? environment = null)
    {
        MeshGatewayOptions options = composition.Options;
        MeshGatewayConsulOptions consul = options.Consul!;
        int before = problems.Count;
        string baseDirectory = Path.GetFullPath(options.BaseDirectory ?? Environment.CurrentDirectory);
        string? Full(string? file) => file is null ? null : Path.GetFullPath(file, baseDirectory);
        var explicitValues = new ConsulClientSettings
        {
            Address = consul.Address,
            Token = consul.Token,
            TokenFile = Full(consul.TokenFile),
            CaCertFile = Full(consul.CaFile),
            ClientCertFile = Full(consul.ClientCertFile),
            ClientKeyFile = Full(consul.ClientKeyFile),
            TlsServerName = consul.TlsServerName,
            Namespace = consul.Namespace,
            Datacenter = options.Datacenter,
        };
        if (!ConsulClientOptions.TryCreate(explicitValues, environment, out ConsulClientOptions? client, out IReadOnlyList<string> clientProblems))
        {
            // What only the environment can get wrong (CONSUL_HTTP_ADDR, CONSUL_CACERT, …): the section as a whole.
            problems.AddRange(clientProblems.Select(p => new MeshGatewayOptionsProblem([nameof(MeshGatewayOptions.Consul)], p + ".")));
        }

        IPEndPoint listen = composition.Listeners.Count > 0 ? composition.Listeners[0].EndPoint : new IPEndPoint(IPAddress.Loopback, 0);
        ConsulSelfRegistration? registration = null;
        if (consul.Register is { Enabled: true } register)
        {
            string? wanHost = null;
            int? wanPort = null;
            _ = register.WanAddress is null || ConsulSelfRegistration.TrySplitHostPort(register.WanAddress, out wanHost, out wanPort);
            var registerProblems = new List<string>();
            registration = ConsulSelfRegistration.Create(register.Name, register.Address ?? listen.Address.ToString(), wanHost, wanPort, listen, registerProblems);
            problems.AddRange(registerProblems.Select(p => new MeshGatewayOptionsProblem([nameof(MeshGatewayOptions.Consul), nameof(MeshGatewayConsulOptions.Register)], p + ".")));
        }

        return problems.Count == before ? new RunConsulPlan(client!, registration) : null;
    }
}
