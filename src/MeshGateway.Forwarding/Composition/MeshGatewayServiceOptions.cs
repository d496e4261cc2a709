namespace MeshGateway.Forwarding;

/// <summary>
/// A mesh gateway's local service: by name, served at <c>&lt;name&gt;.&lt;namespace&gt;.&lt;dc&gt;.internal.&lt;trust
/// domain&gt;</c>, or under any exact SNI (a subset). Exactly one of <see cref="Name"/> and <see cref="Sni"/>.
/// </summary>
public sealed class MeshGatewayServiceOptions
{
    /// <summary>The service name (<c>[A-Za-z0-9_-]</c>).</summary>
    public string? Name { get; init; }

    /// <summary>A full server name to serve instead of the name-derived one.</summary>
    public string? Sni { get; init; }

    /// <summary>The namespace of <see cref="Name"/>; <see langword="null"/> for <c>default</c>.</summary>
    public string? Namespace { get; init; }

    /// <summary>The instances, each <c>HOST:PORT</c>; at least one.</summary>
    public IReadOnlyList<string> Endpoints { get; init; } = [];
}
