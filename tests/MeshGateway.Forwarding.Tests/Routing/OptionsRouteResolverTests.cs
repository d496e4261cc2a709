using MeshGateway.ClientHello;
using MeshGateway.Forwarding;
using Microsoft.Extensions.Options;

namespace MeshGateway.Forwarding.Tests.Routing;

public class OptionsRouteResolverTests
{
    [Theory]
    [InlineData("api.default.dc1.internal.td", "exact")]
    [InlineData("API.default.dc1.internal.td", "exact")]
    [InlineData("web.default.dc2.internal.td", "dc2")]
    [InlineData("v1.web.default.dc2.internal.td", "dc2")]
    [InlineData("x.example", "any")]
    [InlineData("", "any")]
    public async Task Exact_beats_longest_wildcard_beats_catch_all(string sni, string expectedCluster)
    {
        var resolver = new OptionsRouteResolver(Options(o =>
        {
            o.Routes.Add(new ForwardRouteOptions { Sni = "api.default.dc1.internal.td", Cluster = "exact" });
            o.Routes.Add(new ForwardRouteOptions { Sni = "*.internal.td", Cluster = "suffix" });
            o.Routes.Add(new ForwardRouteOptions { Sni = "*.dc2.internal.td", Cluster = "dc2" });
            o.Routes.Add(new ForwardRouteOptions { Sni = "*", Cluster = "any" });
        }));

        ForwardRoute? route = await resolver.ResolveAsync(TestContexts.WithSni(sni), TestContext.Current.CancellationToken);

        Assert.Equal(expectedCluster, route!.Cluster.Name);
    }

    [Theory]
    [InlineData("api.default.dc1.internal.td.", "exact")]
    [InlineData("web.default.dc2.internal.td.", "dc2")]
    [InlineData("api.default.dc1.internal.td..", "any")] // only one dot is stripped: "…td." matches no name route
    public async Task One_trailing_dot_routes_as_the_name_without_it_and_two_do_not(string sni, string expectedCluster)
    {
        var resolver = new OptionsRouteResolver(Options(o =>
        {
            o.Routes.Add(new ForwardRouteOptions { Sni = "api.default.dc1.internal.td", Cluster = "exact" });
            o.Routes.Add(new ForwardRouteOptions { Sni = "*.dc2.internal.td", Cluster = "dc2" });
            o.Routes.Add(new ForwardRouteOptions { Sni = "*", Cluster = "any" });
        }));

        ForwardingContext context = TestContexts.WithSni(sni);
        ForwardRoute? route = await resolver.ResolveAsync(context, TestContext.Current.CancellationToken);

        Assert.Equal(expectedCluster, route!.Cluster.Name);
        Assert.Equal(sni, context.ClientHello!.ServerName); // the wire name is kept for logs
    }

    [Theory]
    [InlineData(ClientHelloStatus.NotTls, "plain")]
    [InlineData(ClientHelloStatus.Malformed, "broken")]
    [InlineData(ClientHelloStatus.NotClientHello, "broken")]
    [InlineData(ClientHelloStatus.Done, "unknown")]
    public async Task Each_outcome_takes_its_fallback_cluster(ClientHelloStatus status, string expectedCluster)
    {
        var resolver = new OptionsRouteResolver(Options(o =>
        {
            o.NotTlsCluster = "plain";
            o.MalformedCluster = "broken";
            o.NoRouteCluster = "unknown";
        }));

        ForwardRoute? route = await resolver.ResolveAsync(TestContexts.Create(null, null, "nothing.matches", status), TestContext.Current.CancellationToken);

        Assert.Equal(expectedCluster, route!.Cluster.Name);
    }

    [Fact]
    public async Task Without_fallbacks_every_outcome_has_no_route()
    {
        var resolver = new OptionsRouteResolver(Options(_ => { }));

        Assert.Null(await resolver.ResolveAsync(TestContexts.Create(null, null, null, ClientHelloStatus.NotTls), TestContext.Current.CancellationToken));
        Assert.Null(await resolver.ResolveAsync(TestContexts.WithSni("a.b"), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Reload_swaps_routes_atomically_and_an_invalid_reload_keeps_the_previous_routes()
    {
        var monitor = new TestMonitor(Options(o => o.Routes.Add(new ForwardRouteOptions { Sni = "a.td", Cluster = "exact" })));
        using var resolver = new OptionsRouteResolver(monitor);
        Assert.Equal("exact", (await resolver.ResolveAsync(TestContexts.WithSni("a.td"), TestContext.Current.CancellationToken))!.Cluster.Name);

        monitor.Change(Options(o => o.Routes.Add(new ForwardRouteOptions { Sni = "a.td", Cluster = "dc2" })));
        Assert.Equal("dc2", (await resolver.ResolveAsync(TestContexts.WithSni("a.td"), TestContext.Current.CancellationToken))!.Cluster.Name);

        monitor.Change(Options(o => o.Routes.Add(new ForwardRouteOptions { Sni = "a.td", Cluster = "no-such-cluster" })));
        Assert.Equal("dc2", (await resolver.ResolveAsync(TestContexts.WithSni("a.td"), TestContext.Current.CancellationToken))!.Cluster.Name);
    }

    private static ForwarderOptions Options(Action<ForwarderOptions> configure)
    {
        var options = new ForwarderOptions();
        foreach (string name in new[] { "exact", "suffix", "dc2", "any", "plain", "broken", "unknown" })
        {
            var cluster = new UpstreamClusterOptions();
            cluster.Endpoints.Add("127.0.0.1:9");
            options.Clusters[name] = cluster;
        }

        configure(options);
        return options;
    }

    private sealed class TestMonitor(ForwarderOptions initial) : IOptionsMonitor<ForwarderOptions>
    {
        private Action<ForwarderOptions, string?>? _listener;

        public ForwarderOptions CurrentValue { get; private set; } = initial;

        public ForwarderOptions Get(string? name) => CurrentValue;

        public IDisposable OnChange(Action<ForwarderOptions, string?> listener)
        {
            _listener = listener;
            return new Subscription();
        }

        public void Change(ForwarderOptions options)
        {
            CurrentValue = options;
            _listener?.Invoke(options, null);
        }

        private sealed class Subscription : IDisposable
        {
            public void Dispose()
            {
            }
        }
    }
}
