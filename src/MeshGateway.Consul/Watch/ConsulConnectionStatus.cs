namespace MeshGateway.Consul.Watch;

/// <summary>How the watcher's conversation with its agent stands; read it from <see cref="ConsulMeshWatcher.Status"/>.</summary>
/// <param name="Connected">
/// True when the agent answered the last query: with data, or with a refusal (4xx, for example an ACL denial, which then
/// is <paramref name="LastError"/>). False after a query got no answer (refused connection, timeout) or a 5xx.
/// </param>
/// <param name="LastContact">When the agent last answered, or null if it never has.</param>
/// <param name="LastError">The last failure (it never holds the token), or null when the last query succeeded.</param>
/// <param name="ConsecutiveFailures">Queries without an answer since the last answer.</param>
public sealed record ConsulConnectionStatus(bool Connected, DateTimeOffset? LastContact, string? LastError, int ConsecutiveFailures)
{
    /// <summary>The status before the first query.</summary>
    public static ConsulConnectionStatus NotStarted { get; } = new(false, null, null, 0);
}
