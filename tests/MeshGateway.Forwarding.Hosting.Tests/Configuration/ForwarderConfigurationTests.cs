using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace MeshGateway.Forwarding.Hosting.Tests.Configuration;

/// <summary>One configuration model from IConfiguration: both duration syntaxes, keys in any case, every bad value by path.</summary>
public class ForwarderConfigurationTests
{
    private static IConfigurationSection Section(Dictionary<string, string?> values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values).Build().GetSection("MeshGateway");

    [Theory]
    [InlineData("10s")]
    [InlineData("00:00:10")]
    [InlineData("10000ms")]
    public void Durations_bind_from_either_syntax(string text)
    {
        var options = new ForwarderOptions();

        Assert.True(ForwarderConfiguration.TryBind(Section(new() { ["MeshGateway:idleTimeout"] = text }), options, out IReadOnlyList<string> errors));
        Assert.Empty(errors);
        Assert.Equal(TimeSpan.FromSeconds(10), options.IdleTimeout);
    }

    [Fact]
    public void Camel_case_keys_like_meshgw_runs_file_bind_the_same_options()
    {
        var options = new ForwarderOptions();
        bool ok = ForwarderConfiguration.TryBind(
            Section(new()
            {
                ["MeshGateway:drainTimeout"] = "0",
                ["MeshGateway:pump"] = "splicewhenpossible",
                ["MeshGateway:maxConnections"] = "7",
                ["MeshGateway:routes:0:sni"] = "*",
                ["MeshGateway:routes:0:cluster"] = "c",
                ["MeshGateway:clusters:c:endpoints:0"] = "127.0.0.1:1",
                ["MeshGateway:clusters:c:loadBalancing"] = "RoundRobin",
            }),
            options,
            out _);

        Assert.True(ok);
        Assert.Equal(TimeSpan.Zero, options.DrainTimeout);
        Assert.Equal(PumpMode.SpliceWhenPossible, options.Pump);
        Assert.Equal(7, options.MaxConnections);
        Assert.Equal("*", Assert.Single(options.Routes).Sni);
        Assert.Equal(LoadBalancingPolicy.RoundRobin, options.Clusters["c"].LoadBalancing);
    }

    [Fact]
    public void Every_value_the_reflection_binder_would_crash_on_is_reported_by_path_at_once()
    {
        bool ok = ForwarderConfiguration.TryBind(
            Section(new()
            {
                ["MeshGateway:IdleTimeout"] = "ten",
                ["MeshGateway:ConnectTimeout"] = "1194h",
                ["MeshGateway:Pump"] = "Fast",
                ["MeshGateway:Pump2"] = "ignored: not the forwarder's key",
                ["MeshGateway:MaxConnections"] = "many",
                ["MeshGateway:PropagateResets"] = "yes",
                ["MeshGateway:Clusters:c:ProxyProtocol"] = "3",
            }),
            new ForwarderOptions(),
            out IReadOnlyList<string> errors);

        Assert.False(ok);
        Assert.Equal(6, errors.Count);
        Assert.Contains(errors, e => e.StartsWith("MeshGateway:IdleTimeout: \"ten\" is not a duration", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("MeshGateway:ConnectTimeout: \"1194h\" is longer than", StringComparison.Ordinal));
        Assert.Contains("MeshGateway:Pump: \"Fast\" is not one of Copy, SpliceWhenPossible, Auto.", errors);
        Assert.Contains("MeshGateway:MaxConnections: \"many\" is not a whole number.", errors);
        Assert.Contains("MeshGateway:PropagateResets: \"yes\" is not true or false.", errors);
        Assert.Contains("MeshGateway:Clusters:c:ProxyProtocol: \"3\" is not one of None, V1, V2.", errors);
    }

    [Fact]
    public async Task Host_with_bad_values_fails_to_start_listing_binder_and_validation_errors_without_a_binder_stack_trace()
    {
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["MeshGateway:Listeners:0"] = "127.0.0.1:0",
            ["MeshGateway:IdleTimeout"] = "10 parsecs",
            ["MeshGateway:Routes:0:Sni"] = "web.example.test",
            ["MeshGateway:Routes:0:Cluster"] = "missing",
        });
        builder.Services.AddMeshGatewayListener(builder.Configuration.GetSection("MeshGateway"));
        using IHost host = builder.Build();

        OptionsValidationException error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains(error.Failures, f => f.StartsWith("MeshGateway:IdleTimeout: \"10 parsecs\" is not a duration", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains("missing", StringComparison.Ordinal));
    }
}
