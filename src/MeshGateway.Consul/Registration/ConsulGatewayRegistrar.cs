using System.Globalization;
using System.Net;
using System.Text.Json;
using MeshGateway.Consul.Client;
using MeshGateway.Consul.Json;

namespace MeshGateway.Consul.Registration;

/// <summary>
/// Registers the gateway with its agent as <c>kind = "mesh-gateway"</c> (<c>PUT /v1/agent/service/register</c>: name,
/// address, port, <c>lan</c>/<c>wan</c> tagged addresses, a TCP check) and deregisters it
/// (<c>PUT /v1/agent/service/deregister/:id</c>) when it drains. The token needs <c>service:write</c> on the name.
/// </summary>
public sealed class ConsulGatewayRegistrar : IDisposable
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);
    private readonly ConsulHttp http;

    /// <summary>Creates a registrar for the agent <paramref name="client"/> names.</summary>
    /// <param name="client">How to reach the agent.</param>
    public ConsulGatewayRegistrar(ConsulClientOptions client)
    {
        ArgumentNullException.ThrowIfNull(client);
        http = new ConsulHttp(client);
    }

    /// <summary>Registers (or re-registers, which replaces) the gateway.</summary>
    /// <param name="registration">What to register.</param>
    /// <param name="cancellationToken">Stops the request.</param>
    /// <exception cref="ArgumentException">The registration is invalid; the message lists every error.</exception>
    /// <exception cref="ConsulRequestException">The agent refused it or could not be reached.</exception>
    public async Task RegisterAsync(ConsulGatewayRegistration registration, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(registration);
        IReadOnlyList<string> errors = registration.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("invalid mesh gateway registration:" + Environment.NewLine + string.Join(Environment.NewLine, errors), nameof(registration));
        }

        byte[] body = JsonSerializer.SerializeToUtf8Bytes(ToJson(registration), ConsulApiJsonContext.Default.ServiceRegistrationJson);
        await SendAsync("/v1/agent/service/register", body, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Removes the registration with the given service ID (as <see cref="ConsulGatewayRegistration.ServiceId"/>).</summary>
    /// <param name="serviceId">The service ID.</param>
    /// <param name="cancellationToken">Stops the request.</param>
    /// <exception cref="ConsulRequestException">The agent refused it or could not be reached.</exception>
    public async Task DeregisterAsync(string serviceId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(serviceId);
        await SendAsync("/v1/agent/service/deregister/" + Uri.EscapeDataString(serviceId), null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The request body Consul's agent takes for <paramref name="registration"/>.</summary>
    internal static ServiceRegistrationJson ToJson(ConsulGatewayRegistration registration)
    {
        string wanAddress = registration.WanAddress ?? registration.Address;
        int wanPort = registration.WanPort ?? registration.Port;
        return new ServiceRegistrationJson
        {
            ID = registration.ServiceId,
            Name = registration.Name,
            Kind = "mesh-gateway",
            Address = registration.Address,
            Port = registration.Port,
            TaggedAddresses = new(StringComparer.Ordinal)
            {
                ["lan"] = new ServiceAddressJson { Address = registration.Address, Port = registration.Port },
                ["wan"] = new ServiceAddressJson { Address = wanAddress, Port = wanPort },
            },
            Check = new RegistrationCheckJson
            {
                Name = "mesh gateway listening",
                TCP = Authority(registration.Address, registration.Port),
                Interval = Seconds(registration.CheckInterval),
                Timeout = Seconds(registration.CheckTimeout),
                DeregisterCriticalServiceAfter = registration.DeregisterCriticalAfter is TimeSpan after ? Seconds(after) : null,
            },
        };
    }

    private async Task SendAsync(string path, byte[]? body, CancellationToken cancellationToken)
    {
        ConsulResponse response;
        try
        {
            response = await http.PutAsync(http.PathWith(path), body, RequestTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutException or IOException)
        {
            throw new ConsulRequestException($"PUT {path}: the Consul agent could not be reached: {e.Message}", null, e);
        }

        if (!response.IsSuccess)
        {
            throw new ConsulRequestException($"PUT {path}: the Consul agent answered HTTP {(int)response.Status}", response.Status, null);
        }
    }

    private static string Authority(string host, int port) =>
        (IPAddress.TryParse(host, out IPAddress? ip) && ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{host}]" : host)
        + ":" + port.ToString(CultureInfo.InvariantCulture);

    private static string Seconds(TimeSpan value) => ((long)Math.Ceiling(value.TotalSeconds)).ToString(CultureInfo.InvariantCulture) + "s";

    /// <inheritdoc/>
    public void Dispose() => http.Dispose();
}
