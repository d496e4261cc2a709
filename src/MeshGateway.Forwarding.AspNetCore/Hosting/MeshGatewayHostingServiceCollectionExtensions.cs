using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace MeshGateway.Forwarding.AspNetCore;

/// <summary>Registers the standalone listener as a hosted service configured from <see cref="IConfiguration"/>.</summary>
public static class MeshGatewayHostingServiceCollectionExtensions
{
    /// <summary>
    /// Adds the forwarder (<c>AddMeshGatewayForwarder</c>) bound to <paramref name="section"/> (by convention the
    /// <c>MeshGateway</c> section: <c>Routes</c>, <c>Clusters</c>, the timeouts and limits of
    /// <see cref="ForwarderOptions"/>) and a <see cref="MeshGatewayListenerService"/> listening on its
    /// <c>Listeners</c>. Both option sets are validated when the host starts, every error reported at once.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="section">The configuration section, e.g. <c>configuration.GetSection("MeshGateway")</c>.</param>
    /// <returns>The forwarder builder, to add filters, observers or a custom router.</returns>
    public static IMeshGatewayForwarderBuilder AddMeshGatewayListener(this IServiceCollection services, IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(section);
        IMeshGatewayForwarderBuilder builder = services.AddMeshGatewayForwarder(options => section.Bind(options));
        services.AddOptions<MeshGatewayListenerOptions>()
            .Configure(options =>
            {
                foreach (IConfigurationSection listener in section.GetSection(nameof(MeshGatewayListenerOptions.Listeners)).GetChildren())
                {
                    if (listener.Value is { } value)
                    {
                        options.Listeners.Add(value);
                    }
                }
            })
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MeshGatewayListenerOptions>, MeshGatewayListenerOptionsValidator>());
        services.TryAddSingleton<MeshGatewayListenerService>();
        services.AddHostedService<DeferredListenerHostedService>();
        return builder;
    }
}
