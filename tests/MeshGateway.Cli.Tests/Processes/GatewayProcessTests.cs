using System.Diagnostics;
using System.Net;
using System.Net.Security;
using MeshGateway.Testing;

namespace MeshGateway.Cli.Tests.Processes;

/// <summary>The built <c>meshgw gateway</c> as a process: ready line, a TLS connection routed by SNI, its close line, SIGTERM drain.</summary>
public class GatewayProcessTests
{
    [Fact]
    public async Task Meshgw_gateway_routes_tls_by_sni_logs_the_close_and_drains_on_sigterm()
    {
        const string sni = "web.default.dc1.internal.td.consul";
        await using var web = new TlsEchoServer("web", sni);
        using Process gateway = MeshgwTool.Start(
            "gateway", "--listen", "127.0.0.1:0", "--datacenter", "dc1", "--trust-domain", "td.consul",
            "--service", $"web={web.EndPoint}", "--remote-gateway", "dc2=127.0.0.1:9");
        try
        {
            string ready = (await gateway.StandardOutput.ReadLineAsync(TestContext.Current.CancellationToken))!;
            Assert.Matches(@"^listening on 127\.0\.0\.1:\d+$", ready);
            var endPoint = IPEndPoint.Parse(ready["listening on ".Length..]);

            await using (SslStream tls = await TlsClient.ConnectAsync(endPoint, sni, web.Certificate))
            {
                Assert.Equal("web", await TlsClient.ReadGreetingAsync(tls));
                Assert.Equal("ping"u8.ToArray(), await TlsClient.EchoAsync(tls, "ping"u8.ToArray()));
            }

            string closed = (await gateway.StandardOutput.ReadLineAsync(TestContext.Current.CancellationToken))!;
            Assert.Contains($"sni={sni} route={sni} upstream={web.EndPoint}", closed, StringComparison.Ordinal);
            Assert.Matches(" reason=(ClientClosed|UpstreamClosed) ", closed);

            MeshgwTool.Terminate(gateway);
            string rest = await gateway.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
            await gateway.WaitForExitAsync(TestContext.Current.CancellationToken);
            Assert.Equal(0, gateway.ExitCode);
            Assert.Contains("stopped", rest, StringComparison.Ordinal);
        }
        finally
        {
            MeshgwTool.KillIfRunning(gateway);
        }
    }
}
