using MeshGateway.Naming;

namespace MeshGateway.Forwarding;

/// <summary>
/// The rules a name is held to before it goes into an SNI (docs/naming.md, "Which names are accepted where"):
/// datacenters as Consul's agent checks them (<c>[a-z0-9_-]</c>), every other label and each label of a trust domain
/// or server name <c>[A-Za-z0-9_-]</c>. Each method returns why a value is refused, one sentence naming it as
/// <c>what</c> (e.g. <c>service "Web!" has the character '!' at index 3; …</c>), or <see langword="null"/> when it is fine.
/// </summary>
public static class MeshGatewayNames
{
    /// <summary>Why <paramref name="value"/> is not a datacenter; upper case is refused with the lower-case name Consul's agent would use.</summary>
    /// <param name="what">What the value is, for the sentence (<c>datacenter</c>).</param>
    /// <param name="value">The value.</param>
    /// <returns>The reason, or <see langword="null"/>.</returns>
    public static string? DatacenterProblem(string what, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        ConsulNameError error = ConsulNameValidation.ValidateDatacenter(value);
        if (error == ConsulNameError.None)
        {
            return null;
        }

        string message = ConsulNameValidation.Describe(error, what, value);
        string lower = value.ToLowerInvariant();
        if (error == ConsulNameError.InvalidDatacenterCharacter
            && !string.Equals(lower, value, StringComparison.Ordinal)
            && ConsulNameValidation.ValidateDatacenter(lower) == ConsulNameError.None)
        {
            // Consul's agent lower-cases the configured datacenter, so the names its sidecars send hold the lower-case form.
            message += $" Consul's agent lower-cases datacenter names, so the datacenter Consul uses is \"{lower}\": write that.";
        }

        return message;
    }

    /// <summary>Why <paramref name="value"/> is not a single SNI label (service, namespace, partition, subset).</summary>
    /// <param name="what">What the value is, for the sentence.</param>
    /// <param name="value">The value.</param>
    /// <returns>The reason, or <see langword="null"/>.</returns>
    public static string? LabelProblem(string what, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        ConsulNameError error = ConsulNameValidation.ValidateSniLabel(value);
        return error == ConsulNameError.None ? null : ConsulNameValidation.Describe(error, what, value);
    }

    /// <summary>Why <paramref name="value"/> is not a multi-label name (a trust domain, a full server name).</summary>
    /// <param name="what">What the value is, for the sentence.</param>
    /// <param name="value">The value.</param>
    /// <returns>The reason, or <see langword="null"/>.</returns>
    public static string? NameProblem(string what, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        ConsulNameError error = ConsulNameValidation.ValidateSniName(value);
        return error == ConsulNameError.None ? null : ConsulNameValidation.Describe(error, what, value);
    }
}
