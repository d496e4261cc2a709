using MeshGateway.Forwarding;

namespace MeshGateway.Cli.Commands;

/// <summary>
/// The name rules every <c>meshgw</c> input is held to (the library's <see cref="MeshGatewayNames"/>) before a name goes into an SNI (docs/naming.md, "Which names
/// are accepted"): datacenters as Consul's agent checks them (<c>[a-z0-9_-]</c>), every other label and each label
/// of a trust domain or full server name <c>[A-Za-z0-9_-]</c>. Each problem is added to the list under
/// <c>where</c> (a flag such as <c>--service 'Web!'</c> or a JSON path such as <c>$.services[0].name</c>), so
/// callers report every bad name at once, each under its own place.
/// </summary>
internal static class NameChecks
{
    /// <summary>A datacenter. Upper case is refused, with the lower-case name Consul's agent would use.</summary>
    public static bool Datacenter(List<string> errors, string? where, string what, string value) =>
        Report(errors, where, MeshGatewayNames.DatacenterProblem(what, value));

    /// <summary>A single label (service, subset, namespace, partition, peer, query).</summary>
    public static bool Label(List<string> errors, string? where, string what, string value) =>
        Report(errors, where, MeshGatewayNames.LabelProblem(what, value));

    /// <summary>An optional label: null or empty is fine.</summary>
    public static bool OptionalLabel(List<string> errors, string? where, string what, string? value) =>
        string.IsNullOrEmpty(value) || Label(errors, where, what, value);

    /// <summary>A multi-label name: a trust domain, or a full server name.</summary>
    public static bool Name(List<string> errors, string? where, string what, string value) =>
        Report(errors, where, MeshGatewayNames.NameProblem(what, value));

    private static bool Report(List<string> errors, string? where, string? message)
    {
        if (message is null)
        {
            return true;
        }

        errors.Add(where is null ? message : $"{where}: {message}");
        return false;
    }
}
