using System.Diagnostics.CodeAnalysis;
using MeshGateway.Forwarding;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Fluent stage registration on <see cref="IMeshGatewayForwarderBuilder"/>.</summary>
public static class MeshGatewayForwarderBuilderExtensions
{
    /// <summary>Adds an admission filter (filters run in registration order).</summary>
    public static IMeshGatewayForwarderBuilder AddConnectionFilter<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TFilter>(this IMeshGatewayForwarderBuilder builder)
        where TFilter : class, IConnectionFilter
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton<IConnectionFilter, TFilter>();
        return builder;
    }

    /// <summary>Adds an observer of connection events.</summary>
    public static IMeshGatewayForwarderBuilder AddObserver<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TObserver>(this IMeshGatewayForwarderBuilder builder)
        where TObserver : class, IForwarderObserver
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton<IForwarderObserver, TObserver>();
        return builder;
    }

    /// <summary>Replaces the route resolver (default: <see cref="OptionsRouteResolver"/> following the options).</summary>
    public static IMeshGatewayForwarderBuilder UseRouteResolver<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TResolver>(this IMeshGatewayForwarderBuilder builder)
        where TResolver : class, IForwardRouteResolver
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.Replace(ServiceDescriptor.Singleton<IForwardRouteResolver, TResolver>());
        return builder;
    }

    /// <summary>Replaces the route resolver with an instance (for example a <see cref="MeshGatewayRouteResolver"/>).</summary>
    public static IMeshGatewayForwarderBuilder UseRouteResolver(this IMeshGatewayForwarderBuilder builder, IForwardRouteResolver resolver)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(resolver);
        builder.Services.Replace(ServiceDescriptor.Singleton(resolver));
        return builder;
    }

    /// <summary>Replaces the upstream connector (the dialer).</summary>
    public static IMeshGatewayForwarderBuilder UseConnector<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TConnector>(this IMeshGatewayForwarderBuilder builder)
        where TConnector : class, IUpstreamConnector
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.Replace(ServiceDescriptor.Singleton<IUpstreamConnector, TConnector>());
        return builder;
    }
}
