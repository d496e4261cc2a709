namespace MeshGateway.Forwarding;

/// <summary>Every connect attempt of a connection failed. The message names each endpoint and why it failed.</summary>
public sealed class UpstreamConnectException : Exception
{
    /// <summary>Creates the exception with a message.</summary>
    public UpstreamConnectException(string message)
        : base(message)
    {
        Failures = [];
    }

    /// <summary>Creates the exception with a message and the failure of the last attempt.</summary>
    public UpstreamConnectException(string message, Exception innerException)
        : base(message, innerException)
    {
        Failures = [innerException];
    }

    /// <summary>Creates the exception from each failed attempt, in order.</summary>
    public UpstreamConnectException()
        : this("No connect attempt was made.")
    {
    }

    internal UpstreamConnectException(string cluster, IReadOnlyList<(UpstreamEndpoint Endpoint, Exception Error)> attempts)
        : base(FormatMessage(cluster, attempts), attempts.Count > 0 ? attempts[^1].Error : null)
    {
        Failures = [.. attempts.Select(a => a.Error)];
    }

    /// <summary>The failure of each attempt, in order.</summary>
    public IReadOnlyList<Exception> Failures { get; }

    private static string FormatMessage(string cluster, IReadOnlyList<(UpstreamEndpoint Endpoint, Exception Error)> attempts) =>
        attempts.Count == 0
            ? $"Cluster '{cluster}' has no endpoint to connect to."
            : $"All {attempts.Count} connect attempt(s) to cluster '{cluster}' failed: "
              + string.Join("; ", attempts.Select(a => $"{a.Endpoint}: {Describe(a.Error)}"));

    private static string Describe(Exception error) => error switch
    {
        System.Net.Sockets.SocketException s => s.SocketErrorCode.ToString(),
        TimeoutException => "timed out",
        _ => error.Message,
    };
}
