using Microsoft.Extensions.Configuration;

namespace MeshGateway.Forwarding.Hosting;

/// <summary>
/// Binds <see cref="MeshGatewayOptions"/> from a configuration section: the keys of a <c>meshgw run</c> file
/// (docs/configuration.md), in any case. Nothing throws and nothing is skipped: a value that is not a duration
/// (<c>"10s"</c> or <c>"00:00:10"</c>), a whole number or one of an enum's names, a string where a list or an object
/// belongs (or the reverse), and a key the options do not have are each an error at its path, and every error is
/// reported at once, with <see cref="MeshGatewayComposer"/>'s own checks after them.
/// </summary>
/// <example>
/// <code>
/// if (!MeshGatewayConfiguration.TryCompose(configuration.GetSection("MeshGateway"), out MeshGatewayComposition? gateway, out var errors))
/// {
///     foreach (MeshGatewayOptionsProblem error in errors) Console.Error.WriteLine($"{error.ToConfigurationPath("MeshGateway")}: {error.Message}");
/// }
/// </code>
/// </example>
public static class MeshGatewayConfiguration
{
    /// <summary>Binds <paramref name="section"/>, reading everything that can be read.</summary>
    /// <param name="section">The section (<c>configuration.GetSection("MeshGateway")</c>) or a whole configuration (a <c>meshgw run</c> file).</param>
    /// <param name="options">The options; a value that could not be read keeps its default.</param>
    /// <param name="errors">Every value that could not be read, at its path (relative to <paramref name="section"/>).</param>
    /// <returns><see langword="true"/> when everything was read.</returns>
    public static bool TryBind(IConfiguration section, out MeshGatewayOptions options, out IReadOnlyList<MeshGatewayOptionsProblem> errors) =>
        TryBind(section, baseDirectory: null, out options, out errors);

    /// <summary>Binds <paramref name="section"/>, reading everything that can be read, with relative file paths read from <paramref name="baseDirectory"/>.</summary>
    /// <param name="section">The section, or a whole configuration (a <c>meshgw run</c> file).</param>
    /// <param name="baseDirectory">
    /// The folder relative file paths (<c>Entries</c>, the <c>Consul</c> token and TLS files) are read from
    /// (<see cref="MeshGatewayOptions.BaseDirectory"/>); <see langword="null"/> for the current directory.
    /// </param>
    /// <param name="options">The options; a value that could not be read keeps its default.</param>
    /// <param name="errors">Every value that could not be read, at its path (relative to <paramref name="section"/>).</param>
    /// <returns><see langword="true"/> when everything was read.</returns>
    public static bool TryBind(IConfiguration section, string? baseDirectory, out MeshGatewayOptions options, out IReadOnlyList<MeshGatewayOptionsProblem> errors)
    {
        ArgumentNullException.ThrowIfNull(section);
        var binder = new MeshGatewayBinder();
        options = binder.Bind(section, baseDirectory);
        errors = binder.Errors;
        return binder.Errors.Count == 0;
    }

    /// <summary>Binds <paramref name="section"/> and composes it: the listeners it describes, or every problem at once.</summary>
    /// <param name="section">The section, or a whole configuration.</param>
    /// <param name="composition">The composition, or <see langword="null"/> when there are errors.</param>
    /// <param name="errors">The binder's errors, then the composer's, each at its path.</param>
    /// <returns><see langword="true"/> when composed.</returns>
    public static bool TryCompose(IConfiguration section, out MeshGatewayComposition? composition, out IReadOnlyList<MeshGatewayOptionsProblem> errors) =>
        TryCompose(section, baseDirectory: null, out composition, out errors);

    /// <summary>Binds <paramref name="section"/> and composes it, relative file paths read from <paramref name="baseDirectory"/>.</summary>
    /// <param name="section">The section, or a whole configuration.</param>
    /// <param name="baseDirectory">The folder relative file paths are read from; <see langword="null"/> for the current directory.</param>
    /// <param name="composition">The composition, or <see langword="null"/> when there are errors.</param>
    /// <param name="errors">The binder's errors, then the composer's, each at its path.</param>
    /// <returns><see langword="true"/> when composed.</returns>
    public static bool TryCompose(IConfiguration section, string? baseDirectory, out MeshGatewayComposition? composition, out IReadOnlyList<MeshGatewayOptionsProblem> errors)
    {
        _ = TryBind(section, baseDirectory, out MeshGatewayOptions options, out IReadOnlyList<MeshGatewayOptionsProblem> bindErrors);
        _ = MeshGatewayComposer.TryCompose(options, bindErrors, out composition, out IReadOnlyList<MeshGatewayOptionsProblem> composeErrors);
        errors = [.. bindErrors, .. composeErrors];
        return composition is not null;
    }
}
