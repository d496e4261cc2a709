namespace MeshGateway.Modes.ConfigEntries;

/// <summary>One problem found while reading Consul config entries or registrations.</summary>
/// <param name="Entry">The entry, e.g. <c>service-defaults "web"</c>, <c>service "web"</c> or <c>ConfigEntries[2]</c>.</param>
/// <param name="Field">The field path as written in the input, e.g. <c>UpstreamConfig.Overrides[0].MeshGateway.Mode</c>.</param>
/// <param name="Message">What is wrong, e.g. Consul's <c>Invalid Mesh Gateway Mode: "Local"</c>.</param>
public sealed record ConsulConfigError(string Entry, string Field, string Message)
{
    /// <summary>The error as one line: <c>entry: field: message</c>.</summary>
    /// <returns>The formatted error.</returns>
    public override string ToString() =>
        Field.Length == 0 ? $"{Entry}: {Message}" : $"{Entry}: {Field}: {Message}";
}
