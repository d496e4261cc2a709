using MeshGateway.Forwarding;

namespace MeshGateway.Forwarding.Tests.Hosting;

/// <summary>The connection cap derived from RLIMIT_NOFILE (issue 14 item 1), as HAProxy derives maxconn.</summary>
public class DescriptorBudgetTests
{
    [Theory]
    [InlineData(10_000, 2, 1024, 64, 480)] // (1024 - 64) / 2
    [InlineData(10_000, 6, 1024, 64, 160)] // splice: (1024 - 64) / 6
    [InlineData(100, 2, 1_048_576, 64, 100)] // the limit holds the request: unchanged
    [InlineData(10_000, 2, 100, 200, 1)] // nothing fits: still 1, so the gateway is not dead on arrival
    public void Cap_is_lowered_to_what_the_descriptor_limit_holds(int requested, int perConnection, long limit, int reserve, int expected) =>
        Assert.Equal(expected, ProcessDescriptors.ClampMaxConnections(requested, perConnection, limit, reserve));

    [Theory]
    [InlineData(0L)]
    [InlineData(long.MaxValue)]
    public void Unknown_or_unlimited_limit_keeps_the_requested_cap(long limit) =>
        Assert.Equal(10_000, ProcessDescriptors.ClampMaxConnections(10_000, 2, limit, 64));

    [Fact]
    public void Copy_holds_two_descriptors_per_connection_auto_two_and_a_half_and_splice_six_on_linux()
    {
        Assert.Equal(2, ProcessDescriptors.PerConnection(PumpMode.Copy));
        Assert.Equal(OperatingSystem.IsLinux() ? 2.5 : 2, ProcessDescriptors.PerConnection(PumpMode.Auto));
        Assert.Equal(OperatingSystem.IsLinux() ? 6 : 2, ProcessDescriptors.PerConnection(PumpMode.SpliceWhenPossible));
    }

    [Theory]
    [InlineData(1024L, 64, 400, 16)]                // 64 + 800 + 128 (the pool's 64 idle pipes) leave 32 descriptors
    [InlineData(1024L, 64, 480, 0)]                 // nothing left beside the connections and the pool: every direction copies
    [InlineData(1_048_576L, 64, 10_000, 514_192)]   // (1,048,576 - 64 - 20,000 - 128) / 2
    public void Auto_pipes_fit_in_what_the_limit_holds_beyond_the_connections_and_the_pool(long limit, int reserve, int connections, int expected) =>
        Assert.Equal(expected, ProcessDescriptors.SplicePipeBudget(connections, limit, reserve));

    [Fact]
    public void Auto_keeps_pipes_for_about_one_connection_in_four_when_the_limit_binds()
    {
        // ulimit -n 20000 (this project's CI machines): (20,000 - 64) / 2.5 connections, and the pipes in what is left
        // beside them and the pool's 64 idle pipes: (19,936 - 15,948 - 128) / 2.
        int cap = ProcessDescriptors.ClampMaxConnections(10_000, 2.5, 20_000, 64);
        Assert.Equal(7_974, cap);
        Assert.Equal(1_930, ProcessDescriptors.SplicePipeBudget(cap, 20_000, 64));
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(long.MaxValue)]
    public void Auto_pipes_are_unbounded_when_the_limit_is(long limit) =>
        Assert.Equal(int.MaxValue, ProcessDescriptors.SplicePipeBudget(10_000, limit, 64));

    [Fact]
    public void Forwarder_cap_never_exceeds_what_the_process_limit_holds()
    {
        var builder = new TcpForwarderBuilder();
        builder.Options.MaxConnections = int.MaxValue;
        TcpForwarder forwarder = builder.UseRouteResolver(new StaticRouteResolver(new ForwardRoute(
            "r", new UpstreamCluster("c", [new UpstreamEndpoint(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 9))], new RoundRobinSelector())))).Build();

        if (ProcessDescriptors.TryGetLimits(out long soft, out long hard))
        {
            Assert.True(soft <= hard);
            Assert.True(soft == long.MaxValue || forwarder.MaxConnections <= soft / 2, $"cap {forwarder.MaxConnections}, limit {soft}");
            Assert.True(ProcessDescriptors.CountOpen() > 0);
        }
        else
        {
            Assert.Equal(int.MaxValue, forwarder.MaxConnections);
        }
    }
}
