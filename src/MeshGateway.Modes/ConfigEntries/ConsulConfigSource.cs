namespace MeshGateway.Modes.ConfigEntries;

/// <summary>One document to read with <see cref="ConsulConfigReader.Read(IEnumerable{ConsulConfigSource})"/>.</summary>
/// <param name="FileName">The name errors are reported under (a path, or any label).</param>
/// <param name="Content">The document's bytes (UTF-8).</param>
/// <param name="Format">Its syntax; <see cref="ConsulConfigFormat.Detect"/> decides by content.</param>
public sealed record ConsulConfigSource(string FileName, ReadOnlyMemory<byte> Content, ConsulConfigFormat Format = ConsulConfigFormat.Detect)
{
    /// <summary>The format a file name implies: <c>.json</c> is JSON, <c>.hcl</c> is HCL (any case), anything else is decided by content.</summary>
    /// <param name="fileName">The file name or path.</param>
    /// <returns>The format.</returns>
    public static ConsulConfigFormat FormatOf(string fileName)
    {
        ArgumentNullException.ThrowIfNull(fileName);
        string extension = Path.GetExtension(fileName);
        return extension.Equals(".json", StringComparison.OrdinalIgnoreCase) ? ConsulConfigFormat.Json
            : extension.Equals(".hcl", StringComparison.OrdinalIgnoreCase) ? ConsulConfigFormat.Hcl
            : ConsulConfigFormat.Detect;
    }
}
