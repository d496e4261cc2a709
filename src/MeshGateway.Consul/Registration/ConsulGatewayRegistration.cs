using System.Net;

namespace MeshGateway.Consul.Registration;

/// <summary>
/// The mesh gateway's own registration with its agent (<c>kind = "mesh-gateway"</c>): how other datacenters' gateways
/// find it. Validated by <see cref="Validate"/>; <see cref="ConsulGatewayRegistrar.RegisterAsync"/> refuses invalid ones.
/// </summary>
public sealed record ConsulGatewayRegistration
{
    /// <summary>The service name (default <c>mesh-gateway</c>, what other gateways query).</summary>
    public string Name { get; init; } = "mesh-gateway";

    /// <summary>The service ID; null for <c>{Name}-{Address}-{Port}</c>.</summary>
    public string? Id { get; init; }

    /// <summary>The address the gateway listens on, inside its datacenter (also the <c>lan</c> tagged address).</summary>
    public required string Address { get; init; }

    /// <summary>The port the gateway listens on.</summary>
    public required int Port { get; init; }

    /// <summary>The address other datacenters dial (the <c>wan</c> tagged address); null for <see cref="Address"/>.</summary>
    public string? WanAddress { get; init; }

    /// <summary>The port other datacenters dial; null for <see cref="Port"/>.</summary>
    public int? WanPort { get; init; }

    /// <summary>How often the agent's TCP check connects to <see cref="Address"/>:<see cref="Port"/> (default 10 s).</summary>
    public TimeSpan CheckInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long the TCP check waits for a connection (default 2 s).</summary>
    public TimeSpan CheckTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>After how long critical the agent removes the registration (a crashed gateway); null never (default 30 min).</summary>
    public TimeSpan? DeregisterCriticalAfter { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>The service ID used: <see cref="Id"/> or <c>{Name}-{Address}-{Port}</c>.</summary>
    public string ServiceId => Id ?? $"{Name}-{Address}-{Port}";

    /// <summary>Every error in the registration (empty when valid).</summary>
    /// <returns>The errors, one sentence each.</returns>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        CheckName(Name, "service name", errors);
        if (Id is not null)
        {
            CheckName(Id, "service ID", errors);
        }

        CheckHost(Address, "address", errors);
        if (WanAddress is not null)
        {
            CheckHost(WanAddress, "WAN address", errors);
        }

        CheckPort(Port, "port", errors);
        if (WanPort is int wanPort)
        {
            CheckPort(wanPort, "WAN port", errors);
        }

        if (CheckInterval < TimeSpan.FromSeconds(1))
        {
            errors.Add($"the check interval must be at least 1 second, not {CheckInterval}");
        }

        if (CheckTimeout <= TimeSpan.Zero || CheckTimeout > CheckInterval)
        {
            errors.Add($"the check timeout must be positive and at most the interval, not {CheckTimeout}");
        }

        if (DeregisterCriticalAfter is TimeSpan after && after < TimeSpan.FromMinutes(1))
        {
            errors.Add($"DeregisterCriticalAfter must be at least 1 minute (Consul's minimum), not {after}");
        }

        return errors;
    }

    private static void CheckName(string value, string what, List<string> errors)
    {
        if (string.IsNullOrEmpty(value) || !value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':'))
        {
            errors.Add($"the {what} '{value}' may hold only letters, digits, '-', '_', '.' and ':'");
        }
    }

    private static void CheckHost(string value, string what, List<string> errors)
    {
        if (string.IsNullOrEmpty(value) || (!IPAddress.TryParse(value, out _) && Uri.CheckHostName(value) != UriHostNameType.Dns))
        {
            errors.Add($"the {what} '{value}' is not an IP address or a DNS name");
        }
    }

    private static void CheckPort(int value, string what, List<string> errors)
    {
        if (value is < 1 or > 65535)
        {
            errors.Add($"the {what} {value} is not between 1 and 65535");
        }
    }
}
