using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using MeshGateway.Forwarding;
using MeshGateway.FunctionalTests.Infrastructure;
using MeshGateway.Testing;

namespace MeshGateway.FunctionalTests.Forwarding;

/// <summary>An independent TLS stack (OpenSSL's s_client and s_server) through the forwarder.</summary>
public class OpenSslInteropTests
{
    private const string Sni = "api.default.dc1.internal.test.consul";

    [Fact]
    public async Task Openssl_s_client_reaches_an_SslStream_server_with_alpn_and_data_both_ways()
    {
        OpenSsl.Require();
        await using var api = new TlsEchoServer("api", Sni);
        await using var harness = ForwarderHarness.Start(b => Route(b.Options, api.EndPoint));

        using var client = OpenSsl.Start("s_client", "-connect", harness.EndPoint.ToString(), "-servername", Sni, "-alpn", "h2,http/1.1", "-ign_eof");
        try
        {
            await OpenSsl.ReadUntilAsync(client.StandardOutput, "ALPN protocol: h2");
            await client.StandardInput.WriteLineAsync("hello-from-openssl");
            await client.StandardInput.FlushAsync(TestContext.Current.CancellationToken);
            string echoed = await OpenSsl.ReadUntilAsync(client.StandardOutput, "hello-from-openssl");
            Assert.Contains("api:hello-from-openssl", echoed, StringComparison.Ordinal);
        }
        finally
        {
            client.Kill();
            await client.WaitForExitAsync(TestContext.Current.CancellationToken);
        }

        Assert.Equal(Sni, api.LastServerName);
    }

    [Fact]
    public async Task SslStream_client_reaches_openssl_s_server_with_alpn_and_data_both_ways()
    {
        OpenSsl.Require();
        using var certificate = TestCertificates.Create(Sni);
        (string certPem, string keyPem) = OpenSsl.WritePem(certificate);
        int port = FreePort();
        using var server = OpenSsl.Start("s_server", "-accept", $"127.0.0.1:{port}", "-cert", certPem, "-key", keyPem, "-alpn", "h2", "-naccept", "1");
        try
        {
            await OpenSsl.ReadUntilAsync(server.StandardOutput, "ACCEPT");
            await using var harness = ForwarderHarness.Start(b => Route(b.Options, new IPEndPoint(IPAddress.Loopback, port)));

            await using SslStream tls = await TlsClient.ConnectAsync(harness.EndPoint, Sni, certificate, SslApplicationProtocol.Http2, SslApplicationProtocol.Http11);
            Assert.Equal(SslApplicationProtocol.Http2, tls.NegotiatedApplicationProtocol);

            await tls.WriteAsync("to-openssl\n"u8.ToArray(), TestContext.Current.CancellationToken);
            await OpenSsl.ReadUntilAsync(server.StandardOutput, "to-openssl");
            await server.StandardInput.WriteLineAsync("from-openssl");
            await server.StandardInput.FlushAsync(TestContext.Current.CancellationToken);
            byte[] reply = new byte["from-openssl\n".Length];
            await tls.ReadExactlyAsync(reply, TestContext.Current.CancellationToken);
            Assert.Equal("from-openssl\n"u8.ToArray(), reply);
        }
        finally
        {
            server.Kill();
            await server.WaitForExitAsync(TestContext.Current.CancellationToken);
        }
    }

    [Fact]
    public async Task Curl_fetches_a_page_from_openssl_s_server_www_through_the_forwarder()
    {
        OpenSsl.Require();
        string curlPath = ExternalTool.Require("curl");
        using var certificate = TestCertificates.Create(Sni);
        (string certPem, string keyPem) = OpenSsl.WritePem(certificate);
        int port = FreePort();
        using var server = OpenSsl.Start("s_server", "-accept", $"127.0.0.1:{port}", "-cert", certPem, "-key", keyPem, "-www", "-naccept", "1");
        try
        {
            await OpenSsl.ReadUntilAsync(server.StandardOutput, "ACCEPT");
            await using var harness = ForwarderHarness.Start(b => Route(b.Options, new IPEndPoint(IPAddress.Loopback, port)));
            int forwarderPort = harness.EndPoint.Port;

            var start = new System.Diagnostics.ProcessStartInfo(curlPath) { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (string arg in new[] { "-sS", "--http1.1", "--cacert", certPem, "--resolve", $"{Sni}:{forwarderPort}:127.0.0.1", $"https://{Sni}:{forwarderPort}/" })
            {
                start.ArgumentList.Add(arg);
            }

            using var curl = System.Diagnostics.Process.Start(start)!;
            string page = await curl.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
            string errors = await curl.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
            await curl.WaitForExitAsync(TestContext.Current.CancellationToken);

            // curl verified the certificate against the end server's own (--cacert): the TLS session is end to end.
            Assert.True(curl.ExitCode == 0, errors);
            Assert.Contains("s_server", page, StringComparison.Ordinal);
            var (context, _) = await harness.Observer.NextClosedAsync();
            Assert.Equal(Sni, context.ClientHello!.ServerName);
        }
        finally
        {
            server.Kill();
            await server.WaitForExitAsync(TestContext.Current.CancellationToken);
        }
    }

    private static void Route(ForwarderOptions options, IPEndPoint upstream)
    {
        var cluster = new UpstreamClusterOptions();
        cluster.Endpoints.Add(upstream.ToString());
        options.Clusters["api"] = cluster;
        options.Routes.Add(new ForwardRouteOptions { Sni = Sni, Cluster = "api" });
    }

    private static int FreePort()
    {
        using Socket probe = Loopback.Listen();
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }
}
