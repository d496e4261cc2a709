namespace MeshGateway.Forwarding;

/// <summary>
/// The forwarders' limits, defaults and ranges as <see cref="ForwarderOptions"/>'s. Reloadable for connections
/// accepted after a change, except <see cref="MaxClientHelloBytes"/> (a restart).
/// </summary>
public sealed class MeshGatewayLimitOptions
{
    private static readonly ForwarderOptions Defaults = new();

    /// <summary>Concurrent connections per listener, at least 1 (<see cref="ForwarderOptions.MaxConnections"/>). Default 10 000.</summary>
    public int MaxConnections { get; init; } = Defaults.MaxConnections;

    /// <summary>Wire bytes held while sniffing, 256 to 65 536 (<see cref="ForwarderOptions.MaxClientHelloBytes"/>). Default 16 384.</summary>
    public int MaxClientHelloBytes { get; init; } = Defaults.MaxClientHelloBytes;

    /// <summary>Connect attempts on distinct endpoints, 1 to 16 (<see cref="ForwarderOptions.MaxConnectAttempts"/>). Default 2.</summary>
    public int MaxConnectAttempts { get; init; } = Defaults.MaxConnectAttempts;

    /// <summary>Copy buffer per direction, 1 KiB to 4 MiB (<see cref="ForwarderOptions.BufferSize"/>). Default 256 KiB.</summary>
    public int BufferSize { get; init; } = Defaults.BufferSize;
}
