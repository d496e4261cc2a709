namespace MeshGateway.Consul.Watch;

/// <summary>How the watcher's conversation with its agent stands; read it from <see cref="ConsulMeshWatcher.Status"/>.</summary>
/// <param name="Connected">True when the last query answered (2xx, or 404 for an absent config entry).</param>
/// <param name="LastContact">When the agent last answered, or null if it never has.</param>
/// <param name="LastError">The last failure (no token, no URL query), or null if none since the last answer.</param>
/// <param name="ConsecutiveFailures">Failed queries since the last answer.</param>
public sealed record ConsulConnectionStatus(bool Connected, DateTimeOffset? LastContact, string? LastError, int ConsecutiveFailures)
{
    /// <summary>The status before the first query.</summary>
    public static ConsulConnectionStatus NotStarted { get; } = new(false, null, null, 0);
}
