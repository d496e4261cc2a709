using System.Reflection;

namespace MeshGateway.Testing;

/// <summary>
/// The dependency arrows of docs/architecture.md, checked against the compiled assemblies:
/// Cli → Consul → Forwarding; Cli → Hosting (its configuration binder: <c>meshgw run</c> loads its file as .NET
/// configuration); Hosting → Forwarding; AspNetCore → Forwarding; Forwarding → the three zero-dependency
/// packages, never the other way. The Cli needs no ASP.NET Core; AspNetCore needs no configuration or hosting package.
/// </summary>
public static class PackageDependencyRules
{
    private static readonly Dictionary<string, string[]> AllowedPrefixes = new(StringComparer.Ordinal)
    {
        ["MeshGateway.ClientHello"] = ["System."],
        ["MeshGateway.Naming"] = ["System."],
        ["MeshGateway.Modes"] = ["System."],
        ["MeshGateway.Forwarding"] =
        [
            "System.", "MeshGateway.ClientHello", "MeshGateway.Naming", "MeshGateway.Modes",
            "Microsoft.Extensions.Options", "Microsoft.Extensions.Logging.Abstractions",
            "Microsoft.Extensions.DependencyInjection.Abstractions", "Microsoft.Extensions.Primitives",
        ],
        ["MeshGateway.Forwarding.Hosting"] =
        [
            "System.", "MeshGateway.ClientHello", "MeshGateway.Naming", "MeshGateway.Modes", "MeshGateway.Forwarding",
            "Microsoft.Extensions.Options", "Microsoft.Extensions.Logging.Abstractions",
            "Microsoft.Extensions.DependencyInjection.Abstractions", "Microsoft.Extensions.Primitives",
            "Microsoft.Extensions.Configuration.Abstractions", "Microsoft.Extensions.Hosting.Abstractions",
        ],
        ["MeshGateway.Consul"] =
        [
            "System.", "MeshGateway.Naming", "MeshGateway.Modes", "MeshGateway.Forwarding", "MeshGateway.ClientHello",
            "Microsoft.Extensions.Logging.Abstractions",
        ],
        ["MeshGateway.Forwarding.AspNetCore"] =
        [
            "System.", "MeshGateway.ClientHello", "MeshGateway.Naming", "MeshGateway.Modes", "MeshGateway.Forwarding",
            "Microsoft.AspNetCore.", "Microsoft.Extensions.Features", "Microsoft.Extensions.Options",
            "Microsoft.Extensions.Logging.Abstractions", "Microsoft.Extensions.DependencyInjection.Abstractions",
            "Microsoft.Extensions.Primitives", "Microsoft.Extensions.Hosting.Abstractions",
        ],
        ["meshgw"] =
        [
            "System.", "MeshGateway.ClientHello", "MeshGateway.Naming", "MeshGateway.Modes", "MeshGateway.Forwarding",
            "MeshGateway.Consul", "MeshGateway.Forwarding.Hosting", "Microsoft.Extensions.Configuration",
            "Microsoft.Extensions.Configuration.Abstractions", "Microsoft.Extensions.Configuration.Json",
            "Microsoft.Extensions.Options", "Microsoft.Extensions.Logging",
            "Microsoft.Extensions.Logging.Abstractions", "Microsoft.Extensions.Logging.Console", "Microsoft.Extensions.DependencyInjection.Abstractions",
            "Microsoft.Extensions.Primitives",
        ],
    };

    /// <summary>Returns the references of <paramref name="assembly"/> that its package may not depend on.</summary>
    public static IReadOnlyList<string> ForbiddenReferences(Assembly assembly)
    {
        string name = assembly.GetName().Name!;
        string[] allowed = AllowedPrefixes[name];
        return assembly.GetReferencedAssemblies()
            .Select(r => r.Name!)
            .Where(r => r != "netstandard" && !allowed.Any(p => r == p || (p.EndsWith('.') && r.StartsWith(p, StringComparison.Ordinal))))
            .ToArray();
    }
}
