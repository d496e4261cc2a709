namespace MeshGateway.Modes.ConfigEntries;

/// <summary>One problem found while reading Consul config entries or registrations.</summary>
/// <param name="Entry">The entry, e.g. <c>service-defaults "web"</c>, <c>service "web"</c> or <c>ConfigEntries[2]</c>.</param>
/// <param name="Field">The field path as written in the input, e.g. <c>UpstreamConfig.Overrides[0].MeshGateway.Mode</c>.</param>
/// <param name="Message">What is wrong, e.g. Consul's <c>Invalid Mesh Gateway Mode: "Local"</c>.</param>
public sealed record ConsulConfigError(string Entry, string Field, string Message)
{
    /// <summary>The file the problem is in, when the caller named one; null otherwise.</summary>
    public string? FileName { get; init; }

    /// <summary>The 1-based line of the problem (HCL documents, and values of the wrong type in them); 0 when not known.</summary>
    public int Line { get; init; }

    /// <summary>The 1-based column, counted in characters, of the problem; 0 when not known.</summary>
    public int Column { get; init; }

    /// <summary>
    /// The error as one line: <c>entry: field: message</c>, after <c>file: </c> or <c>file:line:column: </c> when
    /// known (or with <c>(line L, column C)</c> at the end when there is no file name).
    /// </summary>
    /// <returns>The formatted error.</returns>
    public override string ToString()
    {
        string text = Field.Length == 0 ? $"{Entry}: {Message}" : $"{Entry}: {Field}: {Message}";
        if (FileName is null)
        {
            return Line > 0 ? $"{text} (line {Line}, column {Column})" : text;
        }

        return Line > 0 ? $"{FileName}:{Line}:{Column}: {text}" : $"{FileName}: {text}";
    }
}
