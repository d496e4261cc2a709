namespace MeshGateway.Modes.ConfigEntries;

/// <summary>The syntax of a Consul configuration document.</summary>
public enum ConsulConfigFormat
{
    /// <summary>
    /// Decide by content, as Consul's HCL 1 reader does: JSON when the first byte after white space and comments
    /// is <c>{</c> or <c>[</c>, HCL otherwise.
    /// </summary>
    Detect = 0,

    /// <summary>JSON (comments and trailing commas tolerated).</summary>
    Json = 1,

    /// <summary>HCL 1, the syntax of Consul's agent configuration and of <c>consul config write</c> files.</summary>
    Hcl = 2,
}
