using MeshGateway.Forwarding;
using Microsoft.Extensions.Options;

namespace MeshGateway.Forwarding.Tests.Options;

public class ForwarderOptionsValidatorTests
{
    [Fact]
    public void Defaults_are_valid_and_documented_values()
    {
        var options = new ForwarderOptions();

        Assert.True(new ForwarderOptionsValidator().Validate(null, options).Succeeded);
        Assert.Equal(TimeSpan.FromSeconds(10), options.SniffTimeout);
        Assert.Equal(16 * 1024, options.MaxClientHelloBytes);
        Assert.Equal(TimeSpan.FromSeconds(5), options.ConnectTimeout);
        Assert.Equal(2, options.MaxConnectAttempts);
        Assert.Equal(TimeSpan.FromMinutes(10), options.IdleTimeout);
        Assert.Equal(TimeSpan.FromSeconds(60), options.HalfClosedTimeout);
        Assert.Equal(TimeSpan.FromSeconds(30), options.DrainTimeout);
        Assert.Equal(256 * 1024, options.BufferSize);
        Assert.True(options.UseZeroByteReads);
        Assert.True(options.PropagateResets);
    }

    [Fact]
    public void Every_error_is_reported_at_once()
    {
        var options = new ForwarderOptions
        {
            SniffTimeout = TimeSpan.Zero,
            MaxClientHelloBytes = 1_000_000,
            MaxConnectAttempts = 0,
            BufferSize = 10,
            IdleTimeout = TimeSpan.FromSeconds(-1),
            NotTlsCluster = "missing",
        };
        var cluster = new UpstreamClusterOptions();
        cluster.Endpoints.Add("not an endpoint");
        options.Clusters["c"] = cluster;
        options.Routes.Add(new ForwardRouteOptions { Sni = "a.*.b", Cluster = "c" });
        options.Routes.Add(new ForwardRouteOptions { Sni = "ok.example", Cluster = "nope" });

        ValidateOptionsResult result = new ForwarderOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        string all = result.FailureMessage;
        foreach (string expected in new[]
        {
            "SniffTimeout", "MaxClientHelloBytes", "MaxConnectAttempts", "BufferSize", "IdleTimeout",
            "'not an endpoint' is not HOST:PORT", "'a.*.b'", "Cluster 'nope' is not defined", "Cluster 'missing' is not defined",
        })
        {
            Assert.Contains(expected, all, StringComparison.Ordinal);
        }

        Assert.Equal(9, result.Failures!.Count());
    }

    [Fact]
    public void Builder_throws_one_exception_listing_every_error()
    {
        var builder = new TcpForwarderBuilder(new ForwarderOptions { MaxConnectAttempts = 0, BufferSize = 1 });

        var error = Assert.Throws<OptionsValidationException>(() => builder.Build());

        Assert.Equal(2, error.Failures.Count());
    }

    [Theory]
    [InlineData("127.0.0.1:9001", true)]
    [InlineData("[::1]:443", true)]
    [InlineData("gw.dc2.example:8443", true)]
    [InlineData("127.0.0.1", false)]
    [InlineData("host:", false)]
    [InlineData(":80", false)]
    [InlineData("host:0", false)]
    [InlineData("host:65536", false)]
    [InlineData("a b:80", false)]
    public void Endpoint_text_is_host_colon_port(string text, bool valid)
    {
        Assert.Equal(valid, UpstreamEndpoint.TryParse(text, out _));
    }
}
