namespace MeshGateway.Naming;

/// <summary>The outcome of parsing a name as a Consul SNI (<see cref="ConsulSniParser.Parse"/>).</summary>
public enum ConsulSniStatus
{
    /// <summary>The name is a Consul SNI; the view holds its parts.</summary>
    Valid = 0,

    /// <summary>The name is empty.</summary>
    Empty,

    /// <summary>The name is longer than 253 characters (RFC 1035 §2.3.4).</summary>
    NameTooLong,

    /// <summary>The name has an empty label (a leading dot, <c>..</c>, or two final dots).</summary>
    EmptyLabel,

    /// <summary>A label is longer than 63 characters (RFC 1035 §2.3.4).</summary>
    LabelTooLong,

    /// <summary>A trust domain was given and the name does not end with <c>.</c> + that trust domain.</summary>
    TrustDomainMismatch,

    /// <summary>No <c>internal</c>, <c>internal-v1</c>, <c>query</c> or <c>external</c> label where one is needed.</summary>
    MissingMarker,

    /// <summary>The marker is the last label: nothing follows it to be the trust domain.</summary>
    MissingTrustDomain,

    /// <summary>The number of labels before the marker fits none of the shapes Consul builds with that marker.</summary>
    WrongLabelCount,

    /// <summary>A prepared-query name whose second label is not the literal <c>default</c>.</summary>
    QueryNamespaceNotDefault,

    /// <summary>
    /// An <c>internal-v1</c> name whose partition label is exactly <c>default</c>: Consul writes the default partition
    /// in the short <c>internal</c> form, so it never builds this name.
    /// </summary>
    DefaultPartitionInVersionedName,

    /// <summary>No trust domain was given and the name reads as a Consul SNI in more than one way.</summary>
    Ambiguous,
}
