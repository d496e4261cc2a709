using System.Diagnostics.Metrics;
using MeshGateway.ClientHello;
using MeshGateway.Forwarding;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the forwarder in a service collection.</summary>
public static class ForwarderServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="ForwarderOptions"/> (validated at start with every error at once), the default stages (each
    /// replaceable through the returned builder or by registering your own first), and a singleton
    /// <see cref="TcpForwarder"/> that follows <see cref="IOptionsMonitor{TOptions}"/>: on a change, routes switch for
    /// the next connection routed and timeouts and limits for the next connection accepted
    /// (<see cref="TcpForwarder.UpdateOptions(ForwarderOptions)"/>); an invalid change is ignored and the options in force stay.
    /// </summary>
    public static IMeshGatewayForwarderBuilder AddMeshGatewayForwarder(this IServiceCollection services, Action<ForwarderOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        OptionsBuilder<ForwarderOptions> options = services.AddOptions<ForwarderOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ForwarderOptions>, ForwarderOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IUpstreamConnector>(SocketUpstreamConnector.Instance);
        services.TryAddSingleton<IForwardRouteResolver>(sp => new OptionsRouteResolver(
            sp.GetRequiredService<IOptionsMonitor<ForwarderOptions>>(),
            sp.GetService<ILogger<OptionsRouteResolver>>()));
        services.TryAddSingleton(CreateForwarder);
        return new MeshGatewayForwarderBuilder(services);
    }

    private static TcpForwarder CreateForwarder(IServiceProvider services)
    {
        var builder = new TcpForwarderBuilder(services.GetRequiredService<IOptions<ForwarderOptions>>().Value)
            .UseRouteResolver(services.GetRequiredService<IForwardRouteResolver>())
            .UseConnector(services.GetRequiredService<IUpstreamConnector>())
            .UseTimeProvider(services.GetRequiredService<TimeProvider>());
        foreach (IConnectionFilter filter in services.GetServices<IConnectionFilter>())
        {
            builder.AddConnectionFilter(filter);
        }

        foreach (IForwarderObserver observer in services.GetServices<IForwarderObserver>())
        {
            builder.AddObserver(observer);
        }

        if (services.GetService<ILoggerFactory>() is { } loggerFactory)
        {
            builder.UseLoggerFactory(loggerFactory);
        }

        if (services.GetService<IMeterFactory>() is { } meterFactory)
        {
            builder.UseMeterFactory(meterFactory);
        }

        TcpForwarder forwarder = builder.Build();

        // The subscription lives as long as the container that owns the forwarder (both are singletons).
        _ = services.GetRequiredService<IOptionsMonitor<ForwarderOptions>>().OnChange(options =>
        {
            try
            {
                forwarder.UpdateOptions(options);
            }
            catch (OptionsValidationException)
            {
                // Invalid: the forwarder keeps the settings in force (a ForwarderOptionsSource never publishes such options).
            }
        });
        return forwarder;
    }
}
