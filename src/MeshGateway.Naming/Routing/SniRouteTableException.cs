namespace MeshGateway.Naming;

/// <summary>Thrown by <see cref="SniRouteTableBuilder{TRoute}.Build"/> when any rule is invalid; lists every problem at once.</summary>
public sealed class SniRouteTableException : Exception
{
    /// <summary>Creates the exception with no errors listed.</summary>
    public SniRouteTableException()
        : this("The SNI route table is invalid.")
    {
    }

    /// <summary>Creates the exception with a message and no errors listed.</summary>
    /// <param name="message">The message.</param>
    public SniRouteTableException(string message)
        : base(message)
    {
        Errors = [];
    }

    /// <summary>Creates the exception with a message and an inner exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public SniRouteTableException(string message, Exception innerException)
        : base(message, innerException)
    {
        Errors = [];
    }

    /// <summary>Creates the exception listing <paramref name="errors"/>.</summary>
    /// <param name="errors">Every problem found.</param>
    public SniRouteTableException(IReadOnlyList<string> errors)
        : base(FormatMessage(errors))
    {
        Errors = errors;
    }

    /// <summary>Every problem found, one sentence each.</summary>
    public IReadOnlyList<string> Errors { get; }

    private static string FormatMessage(IReadOnlyList<string> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        return $"The SNI route table has {errors.Count} invalid rule(s):{Environment.NewLine}  "
            + string.Join(Environment.NewLine + "  ", errors);
    }
}
