namespace MeshGateway.Naming;

/// <summary>Argument checks shared by the builders. The throw paths stay out of the callers' bodies.</summary>
internal static class Guard
{
    /// <summary>A required part: not null, not empty, no dot.</summary>
    public static void Label(string? value, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(value, parameterName);
        if (value.Length == 0)
        {
            ThrowEmpty(parameterName);
        }

        if (value.Contains('.', StringComparison.Ordinal))
        {
            ThrowDot(value, parameterName);
        }
    }

    /// <summary>An optional part: null or empty is fine, a dot is not.</summary>
    public static void OptionalLabel(string? value, string parameterName)
    {
        if (value is not null && value.Contains('.', StringComparison.Ordinal))
        {
            ThrowDot(value, parameterName);
        }
    }

    /// <summary>A trust domain: not empty, no empty label (it may have several labels).</summary>
    public static void TrustDomain(string? value, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(value, parameterName);
        if (value.Length == 0)
        {
            ThrowEmpty(parameterName);
        }

        if (value[0] == '.' || value[^1] == '.' || value.Contains("..", StringComparison.Ordinal))
        {
            throw new ArgumentException($"The trust domain \"{value}\" has an empty label.", parameterName);
        }
    }

    private static void ThrowEmpty(string parameterName) =>
        throw new ArgumentException($"The {parameterName} must not be empty.", parameterName);

    private static void ThrowDot(string value, string parameterName) =>
        throw new ArgumentException(
            $"The {parameterName} \"{value}\" contains a dot; SNI labels are dot-joined, so a dot would make the name ambiguous.",
            parameterName);
}
