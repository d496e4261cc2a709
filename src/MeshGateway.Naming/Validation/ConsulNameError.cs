namespace MeshGateway.Naming;

/// <summary>Why a name part or a whole name breaks Consul's or DNS's rules (see <see cref="ConsulNameValidation"/>).</summary>
public enum ConsulNameError
{
    /// <summary>The value is valid.</summary>
    None = 0,

    /// <summary>The value is empty.</summary>
    Empty,

    /// <summary>A single-label part contains a dot; SNIs dot-join their parts, so the name would be ambiguous.</summary>
    ContainsDot,

    /// <summary>A label is longer than 63 characters (RFC 1035 §2.3.4).</summary>
    LabelTooLong,

    /// <summary>A name is longer than 253 characters (RFC 1035 §2.3.4, written without the final dot).</summary>
    NameTooLong,

    /// <summary>A multi-label name has an empty label (leading dot, trailing dots or <c>..</c>).</summary>
    EmptyLabel,

    /// <summary>A datacenter has a character outside <c>[a-z0-9_-]</c> (Consul's agent config rule).</summary>
    InvalidDatacenterCharacter,

    /// <summary>
    /// A label has a character outside <c>[A-Za-z0-9_-]</c>. Consul does not check this, but no TLS client sends such a
    /// name, so MeshGateway refuses it in every name it puts into an SNI (see <see cref="ConsulNameValidation.ValidateSniLabel"/>).
    /// </summary>
    InvalidSniCharacter,
}
