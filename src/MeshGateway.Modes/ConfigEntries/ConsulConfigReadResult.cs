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

    /// <summary>The same result with its catalog seen from another datacenter and partition (<see cref="ConsulModeCatalog.WithLocation"/>); a failed result as it is.</summary>
    /// <param name="datacenter">The local datacenter; null keeps the catalog's.</param>
    /// <param name="partition">The local partition; null keeps the catalog's.</param>
    /// <returns>The result.</returns>
    public ConsulConfigReadResult WithLocation(string? datacenter, string? partition) =>
        Catalog is { } catalog ? new ConsulConfigReadResult(catalog.WithLocation(datacenter, partition), Errors) : this;
}
