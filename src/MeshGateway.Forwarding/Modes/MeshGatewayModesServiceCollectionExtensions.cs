using MeshGateway.Modes;
using MeshGateway.Forwarding;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers mesh gateway mode settings (<see cref="MeshGatewayModeOptions"/>) with validation at start.</summary>
public static class MeshGatewayModesServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="MeshGatewayModeOptions"/>, validated when the host starts (every invalid mode is reported at
    /// once, naming its configuration key), and a singleton <see cref="MeshGatewayModeSettings"/> built from them.
    /// Bind the options from configuration with the returned builder, e.g.
    /// <c>services.AddMeshGatewayModes().BindConfiguration(MeshGatewayModeOptions.SectionName)</c>
    /// (<c>BindConfiguration</c> is in <c>Microsoft.Extensions.Options.ConfigurationExtensions</c>, which hosts reference).
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <returns>The options builder, to bind or configure the options.</returns>
    public static OptionsBuilder<MeshGatewayModeOptions> AddMeshGatewayModes(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddEnumerable(
            ServiceDescriptor.Singleton<IValidateOptions<MeshGatewayModeOptions>, MeshGatewayModeOptionsValidator>());
        services.TryAddSingleton(static provider =>
            MeshGatewayModeOptionsValidator.Build(provider.GetRequiredService<IOptions<MeshGatewayModeOptions>>().Value));
        return services.AddOptions<MeshGatewayModeOptions>().ValidateOnStart();
    }
}
