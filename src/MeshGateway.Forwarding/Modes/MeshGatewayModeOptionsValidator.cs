using MeshGateway.Modes;
using Microsoft.Extensions.Options;

namespace MeshGateway.Forwarding;

/// <summary>Adapts <see cref="MeshGatewayModeSettings.TryCreate"/> (all errors at once) to the options validation pipeline.</summary>
internal sealed class MeshGatewayModeOptionsValidator : IValidateOptions<MeshGatewayModeOptions>
{
    public ValidateOptionsResult Validate(string? name, MeshGatewayModeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return MeshGatewayModeSettings.TryCreate(options, out _, out IReadOnlyList<string> errors)
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(errors.Select(e => MeshGatewayModeOptions.SectionName + ":" + e));
    }

    /// <summary>Builds the settings from options the pipeline has already validated.</summary>
    public static MeshGatewayModeSettings Build(MeshGatewayModeOptions options)
    {
        if (MeshGatewayModeSettings.TryCreate(options, out MeshGatewayModeSettings? settings, out IReadOnlyList<string> errors))
        {
            return settings;
        }

        throw new OptionsValidationException(Options.DefaultName, typeof(MeshGatewayModeOptions), errors);
    }
}
