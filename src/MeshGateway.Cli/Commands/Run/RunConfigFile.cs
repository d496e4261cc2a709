using System.Text;
using System.Text.Json;
using MeshGateway.Forwarding;
using MeshGateway.Forwarding.Hosting;
using Microsoft.Extensions.Configuration;

namespace MeshGateway.Cli.Commands.Run;

/// <summary>
/// A <c>meshgw run</c> file on the library's model: the JSON (comments and trailing commas allowed) is loaded as .NET
/// configuration, bound by <see cref="MeshGatewayConfiguration"/> and composed by <see cref="MeshGatewayComposer"/>, the
/// same code a host runs for its <c>MeshGateway</c> section. Every problem is rendered as <c>$.json.path: message</c>,
/// each name spelled as the file spells it.
/// </summary>
internal static class RunConfigFile
{
    /// <summary>
    /// Loads, binds and composes <paramref name="json"/>; null when anything is wrong (every problem is in
    /// <paramref name="errors"/>). What still works but should change is in <paramref name="warnings"/>. Relative
    /// file paths (<c>entries</c>, the <c>consul</c> files) are read from <paramref name="baseDirectory"/> (the
    /// configuration file's folder; null for the current directory). A mesh gateway with a <c>consul</c> section also
    /// gets its <paramref name="consul"/> plan (<see cref="RunConsulPlan"/>), whose problems are errors too.
    /// </summary>
    public static MeshGatewayComposition? Compose(
        string json, string? baseDirectory, List<string> errors, List<string> warnings, out RunConsulPlan? consul, Func<string, string?>? environment = null)
    {
        consul = null;
        IConfigurationRoot configuration;
        try
        {
            // The JSON provider reads with comments skipped and trailing commas allowed.
            using var stream = new MemoryStream(Encoding.UTF8.GetBytes(json));
            configuration = new ConfigurationBuilder().AddJsonStream(stream).Build();
        }
        catch (Exception e) when (e is JsonException or FormatException)
        {
            // A syntax error names the line and byte (JsonException, bare from a stream or wrapped); a duplicate key or
            // a root that is not an object is a FormatException of its own.
            errors.Add($"$: not valid JSON: {(e.InnerException is JsonException syntax ? syntax.Message : e.Message)}");
            return null;
        }

        if (!MeshGatewayConfiguration.TryCompose(configuration, baseDirectory, out MeshGatewayComposition? composition, out IReadOnlyList<MeshGatewayOptionsProblem> problems))
        {
            errors.AddRange(problems.Select(problem => Render(problem, configuration)));
            return null;
        }

        if (composition!.Options is { Consul: not null, Mode: MeshGatewayRole.MeshGateway })
        {
            var consulProblems = new List<MeshGatewayOptionsProblem>();
            consul = RunConsulPlan.Create(composition, consulProblems, environment);
            if (consul is null)
            {
                errors.AddRange(consulProblems.Select(problem => Render(problem, configuration)));
                return null;
            }
        }

        warnings.AddRange(composition.Warnings.Select(warning => Render(warning, configuration)));
        return composition;
    }

    /// <summary><c>$.services[0].name: message</c>, each name as the file spells it (keys match in any case).</summary>
    public static string Render(MeshGatewayOptionsProblem problem, IConfiguration file) =>
        $"{problem.ToJsonPath((parents, name) => Spelling(file, parents, name))}: {problem.Message}";

    private static string Spelling(IConfiguration file, IReadOnlyList<string> parents, string name)
    {
        IConfiguration section = file;
        foreach (string parent in parents)
        {
            section = section.GetSection(parent);
        }

        return section.GetChildren().FirstOrDefault(c => string.Equals(c.Key, name, StringComparison.OrdinalIgnoreCase))?.Key
            ?? (name.Length > 0 ? char.ToLowerInvariant(name[0]) + name[1..] : name);
    }
}
