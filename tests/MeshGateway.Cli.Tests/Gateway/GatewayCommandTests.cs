using System.Net;
using System.Net.Sockets;
using MeshGateway.Cli.Commands.Gateway;
using MeshGateway.Forwarding;

namespace MeshGateway.Cli.Tests.Gateway;

public class GatewayCommandTests
{
    [Fact]
    public void Every_usage_error_is_reported_at_once_with_exit_code_2()
    {
        var (code, output, error) = CliRunner.Run(
            "gateway", "--listen", "nope", "--datacenter", "DC1", "--trust-domain", "td.consul",
            "--service", "web=x", "--remote-gateway", "dc2", "--service-sni", "=1.2.3.4:5", "--service", "bad.name=127.0.0.1:1");

        Assert.Equal(MeshGatewayCli.UsageError, code);
        Assert.Empty(output);
        Assert.Contains("--listen 'nope'", error, StringComparison.Ordinal);
        Assert.Contains("endpoint 'x' is not HOST:PORT", error, StringComparison.Ordinal);
        Assert.Contains("--remote-gateway 'dc2': expected KEY=ENDPOINTS", error, StringComparison.Ordinal);
        Assert.Contains("--service-sni '=1.2.3.4:5'", error, StringComparison.Ordinal);
        Assert.Contains("cannot be \"DC1\"", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_service_and_remote_names_are_usage_errors_not_crashes()
    {
        var (code, _, error) = CliRunner.Run(
            "gateway", "--listen", "127.0.0.1:0", "--datacenter", "dc1", "--trust-domain", "td.consul",
            "--service", "bad.name=127.0.0.1:1", "--remote-gateway", "DC 2=127.0.0.1:2");

        Assert.Equal(MeshGatewayCli.UsageError, code);
        Assert.Contains("bad.name", error, StringComparison.Ordinal);
        Assert.Contains("DC 2", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--datacenter", "dc1", "--trust-domain", "td.consul")]
    [InlineData("--listen", "127.0.0.1:0", "--trust-domain", "td.consul")]
    [InlineData("--listen", "127.0.0.1:0", "--datacenter", "dc1")]
    public void Missing_required_option_is_a_usage_error(params string[] args)
    {
        var (code, _, _) = CliRunner.Run(["gateway", .. args]);

        Assert.Equal(MeshGatewayCli.UsageError, code);
    }

    [Fact]
    public void Unknown_pump_mode_is_a_usage_error()
    {
        var (code, _, error) = CliRunner.Run("gateway", "--listen", "127.0.0.1:0", "--datacenter", "dc1", "--trust-domain", "td.consul", "--pump", "zerocopy");

        Assert.Equal(MeshGatewayCli.UsageError, code);
        Assert.Contains("zerocopy", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Help_lists_the_contract()
    {
        var (code, output, _) = CliRunner.Run("gateway", "--help");

        Assert.Equal(0, code);
        foreach (string option in new[] { "--listen", "--datacenter", "--partition", "--trust-domain", "--service", "--service-sni", "--remote-gateway", "--pump", "--no-connection-log" })
        {
            Assert.Contains(option, output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Service_and_remote_gateway_flags_compose_into_the_same_routes_as_a_run_file()
    {
        var errors = new List<string>();
        GatewaySettings settings = GatewaySettings.Create(
            "127.0.0.1:0", "dc1", null, "td.consul",
            ["web=127.0.0.1:9001,127.0.0.1:9002"], ["v1.web.default.dc1.internal.td.consul=127.0.0.1:9003"], ["dc2=127.0.0.1:9443", "dc3/part1=gw.example:443"],
            errors);

        Assert.Empty(errors);
        MeshGatewayComposition composition = MeshGatewayComposer.Compose(settings.ToOptions(consul: null));
        Assert.Equal(
            [
                "serves web.default.dc1.internal.td.consul -> 127.0.0.1:9001, 127.0.0.1:9002",
                "serves v1.web.default.dc1.internal.td.consul -> 127.0.0.1:9003",
                "serves *.dc2.internal.td.consul -> dc2 gateways 127.0.0.1:9443",
                "serves *.part1.dc3.internal-v1.td.consul -> dc3 gateways gw.example:443",
            ],
            composition.Routes);
        ListenerPlan listener = Assert.Single(composition.Listeners);
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 0), listener.EndPoint);
        Assert.True(listener.SniffsClientHello);
    }

    [Fact]
    public void A_service_sni_equal_to_a_remote_gateways_name_is_a_usage_error_from_the_composed_route_table()
    {
        // No flag check sees this (each value is valid alone); the composer's route table does, and the CLI names the flag.
        var (code, output, error) = CliRunner.Run(
            "gateway", "--listen", "127.0.0.1:0", "--datacenter", "dc1", "--trust-domain", "td.consul",
            "--service-sni", "dc2.internal.td.consul=127.0.0.1:1", "--remote-gateway", "dc2=127.0.0.1:2");

        Assert.Equal(MeshGatewayCli.UsageError, code);
        Assert.Empty(output);
        Assert.StartsWith("--service: ", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Running_gateway_says_when_it_listens_logs_each_close_with_its_reason_and_drains_on_stop()
    {
        var errors = new List<string>();
        GatewaySettings settings = GatewaySettings.Create("127.0.0.1:0", "dc1", null, "td.consul", ["web=127.0.0.1:9"], [], [], errors);
        var output = new LineSignalingWriter();
        using var stop = new CancellationTokenSource();

        Task<int> running = GatewayRunner.RunAsync(
            MeshGatewayComposer.Compose(settings.ToOptions(consul: null)), output, TextWriter.Null, stop.Token, new GatewayRunOptions { Describe = false });
        string ready = await output.NextLineAsync();
        Assert.Matches(@"^listening on 127\.0\.0\.1:\d+$", ready);
        var endPoint = IPEndPoint.Parse(ready["listening on ".Length..]);

        using (var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            await client.ConnectAsync(endPoint, TestContext.Current.CancellationToken);
            await client.SendAsync("PING\r\n"u8.ToArray(), SocketFlags.None, TestContext.Current.CancellationToken);
            Assert.Equal(0, await client.ReceiveAsync(new byte[16], SocketFlags.None, TestContext.Current.CancellationToken));
        }

        string closed = await output.NextLineAsync();
        Assert.StartsWith("closed 127.0.0.1:", closed, StringComparison.Ordinal);
        Assert.Contains(" reason=NotTls phase=Routing ", closed, StringComparison.Ordinal);

        await stop.CancelAsync();
        Assert.Equal(0, await running);
        Assert.Equal("draining 0 connection(s)", await output.NextLineAsync());
        Assert.Equal("stopped", await output.NextLineAsync());
    }
}
