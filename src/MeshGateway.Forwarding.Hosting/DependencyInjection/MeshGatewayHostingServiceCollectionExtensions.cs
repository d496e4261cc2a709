using MeshGateway.Forwarding;
using MeshGateway.Forwarding.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers a MeshGateway gateway or forwarder configured from <see cref="IConfiguration"/>, run by the generic host.</summary>
public static class MeshGatewayHostingServiceCollectionExtensions
{
    /// <summary>
    /// Runs the mesh gateway or upstream listeners that <paramref name="section"/> describes, with the keys of a
    /// <c>meshgw run</c> file in any case (docs/configuration.md, "In a .NET host instead"), as a hosted
    /// <see cref="MeshGatewayHostedService"/>: checked when the host starts (every error at once, by configuration path,
    /// no binder stack trace), reloaded on every edit of the section (see <see cref="MeshGatewayHostedService"/>), drained
    /// on stop. Forwarders log through the container's <see cref="ILoggerFactory"/>, measure through its
    /// <see cref="System.Diagnostics.Metrics.IMeterFactory"/> and report to every registered <see cref="IForwarderObserver"/>.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="section">The section, for example <c>builder.Configuration.GetSection("MeshGateway")</c>.</param>
    /// <returns>The service collection.</returns>
    public static IServiceCollection AddMeshGateway(this IServiceCollection services, IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(section);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new MeshGatewayHostedService(section, new MeshGatewayHostedServiceDependencies(
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<ILoggerFactory>(),
            sp.GetService<System.Diagnostics.Metrics.IMeterFactory>(),
            [.. sp.GetServices<IForwarderObserver>()])));
        services.AddHostedService(sp => sp.GetRequiredService<MeshGatewayHostedService>());
        return services;
    }

    /// <summary>
    /// Adds the forwarder (see <c>AddMeshGatewayForwarder()</c>) with its <see cref="ForwarderOptions"/> bound from
    /// <paramref name="section"/> by <see cref="ForwarderConfiguration"/>: keys case-insensitive, durations as
    /// <c>"10s"</c> or <c>"00:00:10"</c>, every bad value and every validation error reported at start by path. Edits
    /// reload: routes, clusters and fallbacks switch atomically; a bad edit is logged with every error and the last good
    /// configuration stays. The options live in a <see cref="ForwarderOptionsSource"/> (registered too) that other
    /// sources may update. Timeouts and limits reload too, for connections accepted after the edit
    /// (<see cref="TcpForwarder.UpdateOptions(ForwarderOptions)"/>), except <see cref="ForwarderOptions.Pump"/> and
    /// <see cref="ForwarderOptions.MaxClientHelloBytes"/>, fixed when the forwarder is built.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="section">The section, for example <c>configuration.GetSection("MeshGateway")</c>.</param>
    /// <returns>The forwarder builder, to add filters and observers.</returns>
    public static IMeshGatewayForwarderBuilder AddMeshGatewayForwarder(this IServiceCollection services, IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(section);
        services.TryAddSingleton(sp => new ConfigurationForwarderOptions(
            section, sp.GetService<ILoggerFactory>()?.CreateLogger("MeshGateway.Forwarding.Hosting.Configuration")));
        services.TryAddSingleton(sp => sp.GetRequiredService<ConfigurationForwarderOptions>().Source);
        services.AddSingleton(sp => sp.GetRequiredService<ConfigurationForwarderOptions>().Options);
        services.AddSingleton<IOptions<ForwarderOptions>>(sp => Options.Options.Create(sp.GetRequiredService<IOptionsMonitor<ForwarderOptions>>().CurrentValue));
        return services.AddMeshGatewayForwarder();
    }

    /// <summary>
    /// Adds the forwarder configured from <paramref name="section"/> (see <see cref="AddMeshGatewayForwarder(IServiceCollection, IConfiguration)"/>)
    /// and a hosted <see cref="MeshGatewayListenerService"/> on the section's <c>Listeners</c> (each <c>IP:PORT</c>,
    /// validated at start; a change needs a restart). The host's stop drains forwarded connections.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="section">The section, for example <c>configuration.GetSection("MeshGateway")</c>.</param>
    /// <returns>The forwarder builder, to add filters and observers.</returns>
    public static IMeshGatewayForwarderBuilder AddMeshGatewayListener(this IServiceCollection services, IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(section);
        IMeshGatewayForwarderBuilder builder = services.AddMeshGatewayForwarder(section);
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
        string path = section is IConfigurationSection named ? named.Path : "MeshGateway";
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MeshGatewayListenerOptions>>(new MeshGatewayListenerOptionsValidator(path)));
        services.TryAddSingleton<MeshGatewayListenerService>();
        services.AddHostedService<DeferredListenerHostedService>();
        return builder;
    }
}
