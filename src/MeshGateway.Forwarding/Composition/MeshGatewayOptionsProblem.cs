using System.Globalization;
using System.Text;

namespace MeshGateway.Forwarding;

/// <summary>
/// One error (or warning) about a <see cref="MeshGatewayOptions"/>, at its place in the options: a path of property
/// names (as <see cref="MeshGatewayOptions"/> spells them, e.g. <c>Services</c>, <c>Name</c>) and list indexes (their
/// decimal digits; no property name is made of digits). A caller renders the path in its own syntax:
/// <see cref="ToJsonPath()"/> for a file (<c>$.services[0].name</c>), <see cref="ToConfigurationPath"/> for .NET
/// configuration (<c>MeshGateway:Services:0:Name</c>).
/// </summary>
/// <param name="Path">The place, outermost first; empty for the whole options.</param>
/// <param name="Message">What is wrong, one sentence (values quoted and escaped).</param>
public sealed record MeshGatewayOptionsProblem(IReadOnlyList<string> Path, string Message)
{
    /// <summary>Whether the path segment is a list index.</summary>
    /// <param name="segment">A segment of <see cref="Path"/>.</param>
    /// <returns><see langword="true"/> when it is made of digits.</returns>
    public static bool IsIndex(string segment) =>
        !string.IsNullOrEmpty(segment) && !segment.AsSpan().ContainsAnyExceptInRange('0', '9');

    /// <summary>The path as JSONPath with camel-case names, e.g. <c>$.services[0].name</c> (<c>$</c> for the root).</summary>
    /// <returns>The path.</returns>
    public string ToJsonPath() => ToJsonPath(static (_, segment) => CamelCase(segment));

    /// <summary>The path as JSONPath, each name spelled by <paramref name="spell"/> (for example as the file spells it).</summary>
    /// <param name="spell">Given the segments so far and a name segment, returns the name to print.</param>
    /// <returns>The path.</returns>
    public string ToJsonPath(Func<IReadOnlyList<string>, string, string> spell)
    {
        ArgumentNullException.ThrowIfNull(spell);
        var text = new StringBuilder("$");
        for (int i = 0; i < Path.Count; i++)
        {
            string segment = Path[i];
            _ = IsIndex(segment) ? text.Append('[').Append(segment).Append(']') : text.Append('.').Append(spell([.. Path.Take(i)], segment));
        }

        return text.ToString();
    }

    /// <summary>The path as a .NET configuration key under <paramref name="sectionPath"/>, e.g. <c>MeshGateway:Services:0:Name</c>.</summary>
    /// <param name="sectionPath">The section's own path (<c>MeshGateway</c>), or null/empty for none.</param>
    /// <returns>The key.</returns>
    public string ToConfigurationPath(string? sectionPath)
    {
        IEnumerable<string> parts = string.IsNullOrEmpty(sectionPath) ? Path : Path.Prepend(sectionPath);
        string key = string.Join(':', parts);
        return key.Length == 0 ? "(root)" : key;
    }

    /// <summary>The problem as <c>$.json.path: message</c>.</summary>
    /// <returns>The line.</returns>
    public override string ToString() => $"{ToJsonPath()}: {Message}";

    /// <summary>A property name as the file schema spells it: <c>TrustDomain</c> → <c>trustDomain</c>.</summary>
    internal static string CamelCase(string name) =>
        name.Length == 0 || char.IsLower(name[0]) ? name : string.Concat(char.ToLower(name[0], CultureInfo.InvariantCulture).ToString(), name.AsSpan(1));
}
