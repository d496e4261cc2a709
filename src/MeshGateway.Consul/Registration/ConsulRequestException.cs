using System.Net;

namespace MeshGateway.Consul.Registration;

/// <summary>A write to the Consul agent failed: it refused (<see cref="StatusCode"/>) or could not be reached.</summary>
public sealed class ConsulRequestException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ConsulRequestException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What failed.</param>
    public ConsulRequestException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">What failed.</param>
    /// <param name="innerException">The cause.</param>
    public ConsulRequestException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with the agent's status.</summary>
    /// <param name="message">What failed.</param>
    /// <param name="statusCode">The agent's HTTP status, or null when it was not reached.</param>
    /// <param name="innerException">The cause, or null.</param>
    public ConsulRequestException(string message, HttpStatusCode? statusCode, Exception? innerException)
        : base(message, innerException)
    {
        StatusCode = statusCode;
    }

    /// <summary>The agent's HTTP status (403 for a token without <c>service:write</c>), or null when it was not reached.</summary>
    public HttpStatusCode? StatusCode { get; }
}
