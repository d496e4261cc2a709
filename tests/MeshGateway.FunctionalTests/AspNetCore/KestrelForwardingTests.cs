using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using MeshGateway.Forwarding;
using MeshGateway.Forwarding.AspNetCore;
using MeshGateway.FunctionalTests.Infrastructure;
using MeshGateway.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace MeshGateway.FunctionalTests.AspNetCore;

/// <summary>
/// <c>ListenOptions.UseMeshGatewayForwarding</c> in a real Kestrel server with real TLS clients (SslStream,
/// OpenSSL) and a real TLS upstream: terminal (the endpoint only forwards) and mixed (matching SNIs pass through,
/// the rest reach <c>UseHttps()</c> and the app on the same port).
/// </summary>
public class KestrelForwardingTests
{
    private const string ForwardedName = "db.example.test";
    private const string AppName = "app.example.test";

    [Fact]
    public async Task Terminal_endpoint_forwards_tls_end_to_end_with_the_upstream_certificate()
    {
        await using var db = new TlsEchoServer("db", ForwardedName);
        var observer = new RecordingObserver();
        await using TcpForwarder forwarder = KestrelHost.PassthroughForwarder(db.EndPoint, observer);
        await using KestrelHost kestrel = await KestrelHost.StartAsync(listen => listen.UseMeshGatewayForwarding(forwarder));

        await using (SslStream tls = await TlsClient.ConnectAsync(kestrel.EndPoint, ForwardedName, db.Certificate, SslApplicationProtocol.Http2))
        {
            Assert.Equal("db", await TlsClient.ReadGreetingAsync(tls));
            byte[] payload = RandomNumberGenerator.GetBytes(200_000);
            Assert.Equal(payload, await TlsClient.EchoAsync(tls, payload));
            Assert.Equal(SslApplicationProtocol.Http2, tls.NegotiatedApplicationProtocol);
        }

        var (context, result) = await observer.NextClosedAsync();
        Assert.Equal(ForwardedName, context.ClientHello!.ServerName);
        Assert.Equal(ForwardedName, db.LastServerName);
        Assert.True(result.BytesFromClient > 200_000);
        Assert.True(result.BytesToClient > 200_000);
    }

    [Fact]
    public async Task Mixed_endpoint_forwards_matching_sni_and_serves_the_app_for_the_rest_on_the_same_port()
    {
        await using var db = new TlsEchoServer("db", ForwardedName);
        using X509Certificate2 appCertificate = TestCertificates.Create(AppName);
        var observer = new RecordingObserver();
        await using TcpForwarder forwarder = KestrelHost.PassthroughForwarder(db.EndPoint, observer);
        await using KestrelHost kestrel = await KestrelHost.StartAsync(listen =>
        {
            listen.UseMeshGatewayForwarding(forwarder, o => o.ForwardServerNames(ForwardedName));
            listen.UseHttps(appCertificate);
        });

        // The matching SNI reaches the TLS service behind the forwarder: its certificate, its greeting.
        await using (SslStream forwarded = await TlsClient.ConnectAsync(kestrel.EndPoint, ForwardedName, db.Certificate))
        {
            Assert.Equal("db", await TlsClient.ReadGreetingAsync(forwarded));
            byte[] payload = RandomNumberGenerator.GetBytes(30_000);
            Assert.Equal(payload, await TlsClient.EchoAsync(forwarded, payload));
        }

        // Any other SNI is terminated by Kestrel itself (its certificate) and answered by the app.
        await using (SslStream app = await TlsClient.ConnectAsync(kestrel.EndPoint, AppName, appCertificate))
        {
            await app.WriteAsync(Encoding.ASCII.GetBytes($"GET / HTTP/1.1\r\nHost: {AppName}\r\nConnection: close\r\n\r\n"), TestContext.Current.CancellationToken);
            string response = await new StreamReader(app).ReadToEndAsync(TestContext.Current.CancellationToken);
            Assert.StartsWith("HTTP/1.1 200", response, StringComparison.Ordinal);
            Assert.Contains(KestrelHost.AppReply, response, StringComparison.Ordinal);
        }

        var (context, _) = await observer.NextClosedAsync();
        Assert.Equal(ForwardedName, context.ClientHello!.ServerName);
        Assert.False(observer.TryReadClosed(out _)); // the app's connection never reached the forwarder
        Assert.Equal(1, db.Handshakes);
    }

    [Fact]
    public async Task Mixed_endpoint_hands_plain_http_to_the_app()
    {
        var observer = new RecordingObserver();
        await using TcpForwarder forwarder = KestrelHost.PassthroughForwarder(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 9), observer);
        await using KestrelHost kestrel = await KestrelHost.StartAsync(listen => listen.UseMeshGatewayForwarding(forwarder, o => o.ForwardServerNames("*")));
        using Socket client = await Loopback.ConnectAsync(kestrel.EndPoint);

        await Loopback.SendAllAsync(client, Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));

        string response = Encoding.ASCII.GetString(await Loopback.ReadToEndAsync(client));
        Assert.StartsWith("HTTP/1.1 200", response, StringComparison.Ordinal);
        Assert.Contains(KestrelHost.AppReply, response, StringComparison.Ordinal);
        Assert.False(observer.TryReadClosed(out _));
    }

    [Fact]
    public async Task Openssl_s_client_reaches_the_upstream_through_a_mixed_endpoint()
    {
        OpenSsl.Require();
        await using var db = new TlsEchoServer("db", ForwardedName);
        using X509Certificate2 appCertificate = TestCertificates.Create(AppName);
        var observer = new RecordingObserver();
        await using TcpForwarder forwarder = KestrelHost.PassthroughForwarder(db.EndPoint, observer);
        await using KestrelHost kestrel = await KestrelHost.StartAsync(listen =>
        {
            listen.UseMeshGatewayForwarding(forwarder, o => o.ForwardServerNames("*.example.test"));
            listen.UseHttps(appCertificate);
        });

        using var process = OpenSsl.Start("s_client", "-connect", kestrel.EndPoint.ToString(), "-servername", ForwardedName, "-quiet");
        await process.StandardInput.WriteAsync("ping");
        await process.StandardInput.FlushAsync(TestContext.Current.CancellationToken);
        char[] echo = new char[7];
        await process.StandardOutput.ReadBlockAsync(echo, TestContext.Current.CancellationToken);
        process.Kill(); // -quiet implies -ign_eof: s_client would wait for the server to close
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);

        Assert.Equal("db:ping", new string(echo));
        Assert.Equal(ForwardedName, db.LastServerName);
    }

    [Fact]
    public async Task Endpoint_without_a_forwarder_argument_uses_the_one_registered_in_the_app_services()
    {
        await using var db = new TlsEchoServer("db", ForwardedName);
        var observer = new RecordingObserver();
        await using KestrelHost kestrel = await KestrelHost.StartAsync(
            listen => listen.UseMeshGatewayForwarding(),
            services =>
            {
                services.AddMeshGatewayForwarder(o =>
                {
                    var cluster = new UpstreamClusterOptions();
                    cluster.Endpoints.Add(db.EndPoint.ToString());
                    o.Clusters["db"] = cluster;
                    o.Routes.Add(new ForwardRouteOptions { Sni = ForwardedName, Cluster = "db" });
                });
                services.AddSingleton<IForwarderObserver>(observer);
            });

        await using (SslStream tls = await TlsClient.ConnectAsync(kestrel.EndPoint, ForwardedName, db.Certificate))
        {
            Assert.Equal("db", await TlsClient.ReadGreetingAsync(tls));
        }

        var (context, _) = await observer.NextClosedAsync();
        Assert.Equal(ForwardedName, context.ClientHello!.ServerName);
        Assert.NotNull(context.Route);
    }

    [Fact]
    public async Task Mixed_endpoint_forwards_a_hello_sent_one_byte_at_a_time_byte_for_byte()
    {
        byte[] hello = CaptureFiles.ClientHello("curl.bin");
        using Socket upstreamListener = Loopback.Listen();
        var observer = new RecordingObserver();
        await using TcpForwarder forwarder = KestrelHost.PassthroughForwarder(upstreamListener.LocalEndPoint!, observer);
        using X509Certificate2 appCertificate = TestCertificates.Create(AppName);
        await using KestrelHost kestrel = await KestrelHost.StartAsync(listen =>
        {
            listen.UseMeshGatewayForwarding(forwarder, o => o.ForwardServerNames("*.dc2.internal.11111111-2222-3333-4444-555555555555.consul"));
            listen.UseHttps(appCertificate);
        });
        using Socket client = await Loopback.ConnectAsync(kestrel.EndPoint);

        for (int i = 0; i < hello.Length; i++)
        {
            await Loopback.SendAllAsync(client, hello.AsMemory(i, 1));
        }

        client.Shutdown(SocketShutdown.Send);
        using Socket upstream = await upstreamListener.AcceptAsync(TestContext.Current.CancellationToken);
        Assert.Equal(hello, await Loopback.ReadToEndAsync(upstream));
    }

    [Fact]
    public async Task Mixed_endpoint_hands_the_hello_it_sniffed_to_the_engine_which_routes_on_it_without_parsing_again()
    {
        byte[] hello = CaptureFiles.ClientHello("curl.bin");
        using Socket upstreamListener = Loopback.Listen();
        var observer = new RecordingObserver();
        await using TcpForwarder forwarder = KestrelHost.PassthroughForwarder(upstreamListener.LocalEndPoint!, observer);
        SniffedClientHello? decided = null;
        await using KestrelHost kestrel = await KestrelHost.StartAsync(listen =>
            listen.UseMeshGatewayForwarding(forwarder, o => o.ForwardWhen = h =>
            {
                decided = h;
                return true;
            }));
        using Socket client = await Loopback.ConnectAsync(kestrel.EndPoint);

        await Loopback.SendAllAsync(client, hello);
        client.Shutdown(SocketShutdown.Send);
        using Socket upstream = await upstreamListener.AcceptAsync(TestContext.Current.CancellationToken);
        Assert.Equal(hello, await Loopback.ReadToEndAsync(upstream));
        ForwardingContext context = await observer.NextStreamingAsync();

        // The very object mixed mode decided on: the engine did not sniff a second time under other limits.
        Assert.NotNull(decided);
        Assert.Same(decided, context.ClientHello);
        Assert.Equal(global::MeshGateway.ClientHello.ClientHelloStatus.Done, context.SniffStatus);
    }
}
