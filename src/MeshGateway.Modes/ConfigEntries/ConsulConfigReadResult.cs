namespace MeshGateway.Modes.ConfigEntries;

/// <summary>What <see cref="ConsulConfigReader"/> found: a catalog when the input was valid, every error otherwise.</summary>
public sealed class ConsulConfigReadResult
{
    internal ConsulConfigReadResult(ConsulModeCatalog? catalog, IReadOnlyList<ConsulConfigError> errors)
    {
        Catalog = catalog;
        Errors = errors;
    }

    /// <summary>The entries and registrations; null when there were errors.</summary>
    public ConsulModeCatalog? Catalog { get; }

    /// <summary>Every problem found, in input order; empty on success.</summary>
    public IReadOnlyList<ConsulConfigError> Errors { get; }

    /// <summary>True when the input was read without errors.</summary>
    public bool Succeeded => Catalog is not null;
}
