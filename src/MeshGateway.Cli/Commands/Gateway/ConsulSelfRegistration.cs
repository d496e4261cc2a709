using System.Globalization;
using System.Net;
using MeshGateway.Consul.Registration;

namespace MeshGateway.Cli.Commands.Gateway;

/// <summary>
/// <c>meshgw gateway --consul URL --register</c>: once the listener is bound the gateway registers itself with its agent
/// as <c>kind = "mesh-gateway"</c> (MeshGateway.Consul's <see cref="ConsulGatewayRegistrar"/>: name, address, port,
/// <c>lan</c>/<c>wan</c> tagged addresses, a TCP check on the listener), so other datacenters' gateways find it, and
/// deregisters when it drains, before it stops accepting. A registration the agent refuses stops the gateway (exit 1):
/// a gateway nobody can find must not look healthy.
/// </summary>
internal sealed class ConsulSelfRegistration
{
    private readonly ConsulGatewayRegistration template;
    private string? registeredId;

    private ConsulSelfRegistration(ConsulGatewayRegistration template)
    {
        this.template = template;
    }

    /// <summary>
    /// Checks the registration flags (every problem named by its flag, into <paramref name="errors"/>). The address
    /// defaults to the <c>--listen</c> host, which must then be a specific address (other gateways dial it); the WAN
    /// address, <c>HOST[:PORT]</c>, defaults to the address and the bound port. Null without <c>--register</c> or on an error.
    /// </summary>
    public static ConsulSelfRegistration? CheckFlags(
        bool register, string? name, string? address, string? wanAddress, bool consul, IPEndPoint listen, List<string> errors)
    {
        if (!register)
        {
            foreach ((string flag, string? value) in new[] { ("--register-name", name), ("--register-address", address), ("--register-wan-address", wanAddress) })
            {
                if (value is not null)
                {
                    errors.Add($"{flag}: only meaningful with --register.");
                }
            }

            return null;
        }

        int before = errors.Count;
        if (!consul)
        {
            errors.Add("--register: needs --consul (the agent the gateway registers with).");
        }

        if (address is null && (listen.Address.Equals(IPAddress.Any) || listen.Address.Equals(IPAddress.IPv6Any)))
        {
            errors.Add($"--register-address: required when --listen binds every address ({listen.Address}); give the address other gateways dial.");
        }

        string? wanHost = null;
        int? wanPort = null;
        if (wanAddress is not null && !TrySplitHostPort(wanAddress, out wanHost, out wanPort))
        {
            errors.Add($"--register-wan-address '{wanAddress}': expected HOST or HOST:PORT.");
        }

        var problems = new List<string>();
        ConsulSelfRegistration? registration = Create(name, address ?? listen.Address.ToString(), wanHost, wanPort, listen, problems);
        errors.AddRange(problems.Select(problem => "--register: " + problem + "."));
        return errors.Count == before ? registration : null;
    }

    /// <summary>
    /// The registration of a gateway listening on <paramref name="listen"/> (<c>meshgw gateway --register</c> and a
    /// <c>meshgw run</c> file's <c>consul.register</c>): <see cref="ConsulGatewayRegistration.Validate"/>'s problems,
    /// without a final period, go into <paramref name="problems"/>; null when there are any.
    /// </summary>
    public static ConsulSelfRegistration? Create(string? name, string address, string? wanHost, int? wanPort, IPEndPoint listen, List<string> problems)
    {
        var registration = new ConsulGatewayRegistration
        {
            Name = name ?? "mesh-gateway",
            Address = address,
            // Port 0 asks for a free port: the bound one is registered; a stand-in lets the rest be checked now.
            Port = listen.Port == 0 ? 1 : listen.Port,
            WanAddress = wanHost,
            WanPort = wanPort,
        };
        int before = problems.Count;
        problems.AddRange(registration.Validate());
        return problems.Count == before ? new ConsulSelfRegistration(registration) : null;
    }

    /// <summary>
    /// Registers the gateway at its bound port; false (with the reason on <paramref name="error"/>) when the agent
    /// refused it. Not cancelled by a stop signal: a request the agent may already have applied is finished, so the
    /// drain that follows deregisters what was registered (the request gives up on its own after 30 s).
    /// </summary>
    public async Task<bool> RegisterAsync(ConsulGatewayRegistrar registrar, IPEndPoint bound, TextWriter error)
    {
        ConsulGatewayRegistration registration = template with { Port = bound.Port };
        try
        {
            await registrar.RegisterAsync(registration, CancellationToken.None).ConfigureAwait(false);
        }
        catch (ConsulRequestException e)
        {
            await error.WriteLineAsync($"consul: cannot register the gateway: {e.Message}").ConfigureAwait(false);
            return false;
        }

        registeredId = registration.ServiceId;
        await error.WriteLineAsync(
            $"consul: registered {registration.Name} (ID {registeredId}) at {registration.Address}:{bound.Port.ToString(CultureInfo.InvariantCulture)}")
            .ConfigureAwait(false);
        return true;
    }

    /// <summary>Removes the registration made by <see cref="RegisterAsync"/>, if any; a failure is reported, never thrown (the drain goes on).</summary>
    public async Task DeregisterAsync(ConsulGatewayRegistrar registrar, TextWriter error)
    {
        if (Interlocked.Exchange(ref registeredId, null) is not { } id)
        {
            return;
        }

        try
        {
            await registrar.DeregisterAsync(id).ConfigureAwait(false);
            await error.WriteLineAsync($"consul: deregistered {id}").ConfigureAwait(false);
        }
        catch (ConsulRequestException e)
        {
            await error.WriteLineAsync($"consul: cannot deregister {id} (the agent removes it once its check stays critical): {e.Message}").ConfigureAwait(false);
        }
    }

    /// <summary><c>HOST</c> or <c>HOST:PORT</c> (an IPv6 host in brackets when a port follows).</summary>
    public static bool TrySplitHostPort(string value, out string? host, out int? port)
    {
        host = null;
        port = null;
        if (value.Length == 0)
        {
            return false;
        }

        if (IPAddress.TryParse(value, out IPAddress? plain) && !value.Contains(']', StringComparison.Ordinal))
        {
            host = plain.ToString();
            return true;
        }

        int colon = value.LastIndexOf(':');
        if (colon < 0)
        {
            host = value;
            return true;
        }

        if (!int.TryParse(value.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int parsed))
        {
            return false;
        }

        host = value[..colon].Trim('[', ']');
        port = parsed;
        return host.Length > 0;
    }
}
