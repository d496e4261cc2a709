using MeshGateway.Naming;
using Microsoft.Extensions.Options;

namespace MeshGateway.Forwarding;

/// <summary>
/// Validates <see cref="ForwarderOptions"/>: the generated range checks plus the cross-field rules (every route
/// names a known cluster, every endpoint is <c>HOST:PORT</c>, fallback clusters exist, SNI patterns are valid).
/// Never stops at the first error: the result lists them all.
/// </summary>
public sealed class ForwarderOptionsValidator : IValidateOptions<ForwarderOptions>
{
    private static readonly ForwarderOptionsDataValidator Generated = new();

    /// <inheritdoc/>
    public ValidateOptionsResult Validate(string? name, ForwarderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = new ValidateOptionsResultBuilder();
        builder.AddResult(Generated.Validate(name, options));

        CheckTimeout(builder, options.SniffTimeout, nameof(ForwarderOptions.SniffTimeout), allowZero: false);
        CheckTimeout(builder, options.RouteTimeout, nameof(ForwarderOptions.RouteTimeout), allowZero: false);
        CheckTimeout(builder, options.ConnectTimeout, nameof(ForwarderOptions.ConnectTimeout), allowZero: false);
        CheckTimeout(builder, options.IdleTimeout, nameof(ForwarderOptions.IdleTimeout), allowZero: false);
        CheckTimeout(builder, options.HalfClosedTimeout, nameof(ForwarderOptions.HalfClosedTimeout), allowZero: false);
        CheckTimeout(builder, options.DrainTimeout, nameof(ForwarderOptions.DrainTimeout), allowZero: true);

        foreach ((string clusterName, UpstreamClusterOptions cluster) in options.Clusters)
        {
            if (cluster is null)
            {
                builder.AddError($"Cluster '{clusterName}' is null.", nameof(ForwarderOptions.Clusters));
                continue;
            }

            if (cluster.Endpoints.Count == 0)
            {
                builder.AddError($"Cluster '{clusterName}' has no endpoint.", nameof(ForwarderOptions.Clusters));
            }

            foreach (string endpoint in cluster.Endpoints)
            {
                if (!UpstreamEndpoint.TryParse(endpoint, out _))
                {
                    builder.AddError($"Cluster '{clusterName}' endpoint '{endpoint}' is not HOST:PORT.", nameof(ForwarderOptions.Clusters));
                }
            }
        }

        for (int i = 0; i < options.Routes.Count; i++)
        {
            ForwardRouteOptions? route = options.Routes[i];
            string property = $"{nameof(ForwarderOptions.Routes)}[{i}]";
            if (route is null)
            {
                builder.AddError("The route is null.", property);
                continue;
            }

            if (string.IsNullOrEmpty(route.Sni))
            {
                builder.AddError("The SNI pattern is empty.", property);
            }
            else if (SniPattern.Validate(route.Sni) is { } problem)
            {
                builder.AddError($"The SNI pattern '{route.Sni}' {problem} (it must be an exact name, '*.suffix' or '*').", property);
            }

            CheckCluster(builder, options, route.Cluster, property);
        }

        CheckOptionalCluster(builder, options, options.NotTlsCluster, nameof(ForwarderOptions.NotTlsCluster));
        CheckOptionalCluster(builder, options, options.MalformedCluster, nameof(ForwarderOptions.MalformedCluster));
        CheckOptionalCluster(builder, options, options.NoRouteCluster, nameof(ForwarderOptions.NoRouteCluster));
        return builder.Build();
    }

    /// <summary>Validates <paramref name="options"/> and throws one <see cref="OptionsValidationException"/> listing every error.</summary>
    internal static void ThrowIfInvalid(ForwarderOptions options)
    {
        ValidateOptionsResult result = new ForwarderOptionsValidator().Validate(Microsoft.Extensions.Options.Options.DefaultName, options);
        if (result.Failed)
        {
            throw new OptionsValidationException(Microsoft.Extensions.Options.Options.DefaultName, typeof(ForwarderOptions), result.Failures);
        }
    }

    private static void CheckTimeout(ValidateOptionsResultBuilder builder, TimeSpan value, string property, bool allowZero)
    {
        if (value < TimeSpan.Zero || (value == TimeSpan.Zero && !allowZero))
        {
            builder.AddError(allowZero ? $"must not be negative (was {value})." : $"must be positive (was {value}).", property);
        }
        else if (value > ForwarderOptions.MaxTimeout)
        {
            // Runtime timers hold at most 2^32 - 2 ms; a longer value would throw when the timer is created.
            builder.AddError($"must be at most {ForwarderOptions.MaxTimeout} (about 49.7 days, the longest runtime timer; was {value}).", property);
        }
    }

    private static void CheckOptionalCluster(ValidateOptionsResultBuilder builder, ForwarderOptions options, string? cluster, string property)
    {
        if (cluster is not null)
        {
            CheckCluster(builder, options, cluster, property);
        }
    }

    private static void CheckCluster(ValidateOptionsResultBuilder builder, ForwarderOptions options, string? cluster, string property)
    {
        if (string.IsNullOrEmpty(cluster))
        {
            builder.AddError("The cluster name is empty.", property);
        }
        else if (!options.Clusters.ContainsKey(cluster))
        {
            builder.AddError($"Cluster '{cluster}' is not defined in Clusters.", property);
        }
    }
}
