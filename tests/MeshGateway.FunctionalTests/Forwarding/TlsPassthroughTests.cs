using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using MeshGateway.Forwarding;
using MeshGateway.FunctionalTests.Infrastructure;
using MeshGateway.Testing;
using Microsoft.Extensions.Time.Testing;

namespace MeshGateway.FunctionalTests.Forwarding;

/// <summary>Real TLS clients and servers through the forwarder's default inspector and SNI router.</summary>
public class TlsPassthroughTests
{
    private const string ApiSni = "api.default.dc1.internal.test.consul";
    private const string WebSni = "web.default.dc1.internal.test.consul";

    [Fact]
    public async Task SslStream_handshake_completes_end_to_end_and_routes_by_sni()
    {
        await using var api = new TlsEchoServer("api", ApiSni);
        await using var web = new TlsEchoServer("web", WebSni);
        await using var harness = StartRouted(o =>
        {
            AddRoute(o, ApiSni, "api", api);
            AddRoute(o, WebSni, "web", web);
        });

        await using SslStream toApi = await TlsClient.ConnectAsync(harness.EndPoint, ApiSni, api.Certificate);
        await using SslStream toWeb = await TlsClient.ConnectAsync(harness.EndPoint, WebSni, web.Certificate);

        Assert.Equal("api", await TlsClient.ReadGreetingAsync(toApi));
        Assert.Equal("web", await TlsClient.ReadGreetingAsync(toWeb));
        byte[] payload = RandomNumberGenerator.GetBytes(100_000);
        Assert.Equal(payload, await TlsClient.EchoAsync(toApi, payload));
        Assert.Equal(ApiSni, api.LastServerName);
    }

    [Fact]
    public async Task Alpn_is_negotiated_end_to_end_and_offers_are_visible_to_routing()
    {
        await using var api = new TlsEchoServer("api", ApiSni);
        await using var harness = StartRouted(o => AddRoute(o, ApiSni, "api", api));

        await using SslStream tls = await TlsClient.ConnectAsync(
            harness.EndPoint, ApiSni, api.Certificate, SslApplicationProtocol.Http2, SslApplicationProtocol.Http11);

        Assert.Equal(SslApplicationProtocol.Http2, tls.NegotiatedApplicationProtocol);
        ForwardingContext context = await harness.Observer.NextStreamingAsync();
        Assert.Equal(["h2", "http/1.1"], context.ClientHello!.ApplicationProtocols);
        Assert.Equal(ApiSni, context.ClientHello.ServerName);
        Assert.Equal(ApiSni, context.Route!.Id);
    }

    [Fact]
    public async Task Alpn_offers_are_read_only_so_a_stage_cannot_change_what_the_next_connection_sees()
    {
        // Connections that offer the same list share one instance (ProtocolListCache): it must not be writable.
        await using var api = new TlsEchoServer("api", ApiSni);
        await using var harness = StartRouted(o => AddRoute(o, ApiSni, "api", api));

        await using (await TlsClient.ConnectAsync(harness.EndPoint, ApiSni, api.Certificate, SslApplicationProtocol.Http2, SslApplicationProtocol.Http11))
        {
            IReadOnlyList<string> first = (await harness.Observer.NextStreamingAsync()).ClientHello!.ApplicationProtocols;
            Assert.Throws<NotSupportedException>(() => ((IList<string>)first)[0] = "evil");
        }

        await using SslStream second = await TlsClient.ConnectAsync(
            harness.EndPoint, ApiSni, api.Certificate, SslApplicationProtocol.Http2, SslApplicationProtocol.Http11);
        Assert.Equal(["h2", "http/1.1"], (await harness.Observer.NextStreamingAsync()).ClientHello!.ApplicationProtocols);
        Assert.Equal(SslApplicationProtocol.Http2, second.NegotiatedApplicationProtocol);
    }

    [Fact]
    public async Task Unknown_sni_is_closed_with_NoRoute()
    {
        await using var api = new TlsEchoServer("api", ApiSni);
        await using var harness = StartRouted(o => AddRoute(o, ApiSni, "api", api));

        await Assert.ThrowsAnyAsync<IOException>(() => TlsClient.ConnectAsync(harness.EndPoint, "nope.default.dc1.internal.test.consul", api.Certificate));

        var (context, result) = await harness.Observer.NextClosedAsync();
        Assert.Equal(CloseCause.NoRoute, result.Cause);
        Assert.Equal(ForwardingPhase.Routing, result.Phase);
        Assert.Equal("nope.default.dc1.internal.test.consul", context.ClientHello!.ServerName);
        Assert.Equal(0, result.BytesFromClient);
        Assert.Equal(0, api.Handshakes);
    }

    [Fact]
    public async Task Plain_tcp_is_closed_with_NotTls()
    {
        await using var harness = StartRouted(_ => { });
        using Socket client = await harness.ConnectAsync();

        await Loopback.SendAllAsync(client, "GET / HTTP/1.1\r\nHost: x\r\n\r\n"u8.ToArray());

        Assert.Equal(SocketError.Success, await Loopback.ReadUntilClosedAsync(client));
        var (_, result) = await harness.Observer.NextClosedAsync();
        Assert.Equal(CloseCause.NotTls, result.Cause);
        Assert.Equal(ForwardingPhase.Routing, result.Phase);
    }

    [Fact]
    public async Task Tls_handshake_that_is_not_a_client_hello_is_closed_with_MalformedClientHello()
    {
        await using var harness = StartRouted(_ => { });
        using Socket client = await harness.ConnectAsync();

        // A handshake record (0x16, TLS 1.0 record version) carrying a ServerHello (type 2) header.
        await Loopback.SendAllAsync(client, new byte[] { 0x16, 0x03, 0x01, 0x00, 0x04, 0x02, 0x00, 0x00, 0x00 });

        var (_, result) = await harness.Observer.NextClosedAsync();
        Assert.Equal(CloseCause.MalformedClientHello, result.Cause);
    }

    [Fact]
    public async Task Plain_tcp_goes_to_the_not_tls_cluster_when_one_is_configured_with_its_bytes_intact()
    {
        using Socket fallbackListener = Loopback.Listen();
        await using var harness = StartRouted(o =>
        {
            var cluster = new UpstreamClusterOptions();
            cluster.Endpoints.Add(fallbackListener.LocalEndPoint!.ToString()!);
            o.Clusters["plain"] = cluster;
            o.NotTlsCluster = "plain";
        });
        using Socket client = await harness.ConnectAsync();
        byte[] request = "SSH-2.0-OpenSSH_9.2\r\n"u8.ToArray();

        await Loopback.SendAllAsync(client, request);
        using Socket upstream = await fallbackListener.AcceptAsync(TestContext.Current.CancellationToken);

        Assert.Equal(request, await Loopback.ReadExactlyAsync(upstream, request.Length));
    }

    [Theory]
    [InlineData("chromium.bin", true)]
    [InlineData("openssl-split-send-frag.bin", false)]
    public async Task Captured_hello_written_one_byte_at_a_time_is_replayed_byte_for_byte(string capture, bool offersEch)
    {
        byte[] hello = CaptureFiles.ClientHello(capture);
        using Socket upstreamListener = Loopback.Listen();
        await using var harness = StartRouted(o =>
        {
            var cluster = new UpstreamClusterOptions();
            cluster.Endpoints.Add(upstreamListener.LocalEndPoint!.ToString()!);
            o.Clusters["dc2"] = cluster;
            o.Routes.Add(new ForwardRouteOptions { Sni = "*.dc2.internal.11111111-2222-3333-4444-555555555555.consul", Cluster = "dc2" });
        });
        using Socket client = await harness.ConnectAsync();

        for (int i = 0; i < hello.Length; i++)
        {
            await Loopback.SendAllAsync(client, hello.AsMemory(i, 1));
        }

        using Socket upstream = await upstreamListener.AcceptAsync(TestContext.Current.CancellationToken);
        Assert.Equal(hello, await Loopback.ReadExactlyAsync(upstream, hello.Length));
        ForwardingContext context = await harness.Observer.NextStreamingAsync();
        Assert.EndsWith(".dc2.internal.11111111-2222-3333-4444-555555555555.consul", context.ClientHello!.ServerName, StringComparison.Ordinal);
        Assert.Equal(offersEch, context.ClientHello.OffersEncryptedClientHello); // Chromium sends a GREASE outer ECH
    }

    [Fact]
    public async Task Hello_coalesced_with_early_data_is_replayed_with_that_data_and_the_stream_continues()
    {
        byte[] hello = CaptureFiles.ClientHello("openssl-tls13.bin");
        byte[] early = RandomNumberGenerator.GetBytes(3000);
        using Socket upstreamListener = Loopback.Listen();
        await using var harness = StartRouted(o =>
        {
            var cluster = new UpstreamClusterOptions();
            cluster.Endpoints.Add(upstreamListener.LocalEndPoint!.ToString()!);
            o.Clusters["any"] = cluster;
            o.Routes.Add(new ForwardRouteOptions { Sni = "*", Cluster = "any" });
        });
        using Socket client = await harness.ConnectAsync();

        await Loopback.SendAllAsync(client, hello.Concat(early).ToArray());
        using Socket upstream = await upstreamListener.AcceptAsync(TestContext.Current.CancellationToken);
        await Loopback.SendAllAsync(client, "after"u8.ToArray());
        client.Shutdown(SocketShutdown.Send);

        Assert.Equal(hello.Concat(early).Concat("after"u8.ToArray()).ToArray(), await Loopback.ReadToEndAsync(upstream));
    }

    [Fact]
    public async Task Hello_larger_than_the_byte_budget_is_closed_with_ClientHelloTooLarge()
    {
        byte[] hello = CaptureFiles.ClientHello("chromium.bin");
        await using var harness = StartRouted(o => o.MaxClientHelloBytes = 1024);
        using Socket client = await harness.ConnectAsync();

        await Loopback.SendAllAsync(client, hello);

        var (_, result) = await harness.Observer.NextClosedAsync();
        Assert.Equal(CloseCause.ClientHelloTooLarge, result.Cause);
        Assert.Equal(ForwardingPhase.Sniffing, result.Phase);
    }

    [Fact]
    public async Task Slowloris_hello_is_closed_at_the_sniff_deadline()
    {
        byte[] hello = CaptureFiles.ClientHello("curl.bin");
        var time = new FakeTimeProvider();
        await using var harness = ForwarderHarness.Start(b => b.UseTimeProvider(time));
        using Socket client = await harness.ConnectAsync();
        await harness.Observer.NextAcceptedAsync();

        // Trickle: each byte arrives before the previous deadline would pass, but the deadline is absolute.
        for (int i = 0; i < 9; i++)
        {
            await Loopback.SendAllAsync(client, hello.AsMemory(i, 1));
            time.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.Equal(1, harness.Forwarder.ActiveConnections);
        time.Advance(TimeSpan.FromSeconds(1));

        var (_, result) = await harness.Observer.NextClosedAsync();
        Assert.Equal(CloseCause.SniffTimeout, result.Cause);
        Assert.Equal(ForwardingPhase.Sniffing, result.Phase);
        Assert.Equal(SocketError.Success, await Loopback.ReadUntilClosedAsync(client));
    }

    private static ForwarderHarness StartRouted(Action<ForwarderOptions> configure) =>
        ForwarderHarness.Start(b => configure(b.Options));

    private static void AddRoute(ForwarderOptions options, string sni, string cluster, TlsEchoServer server)
    {
        var clusterOptions = new UpstreamClusterOptions();
        clusterOptions.Endpoints.Add(server.EndPoint.ToString());
        options.Clusters[cluster] = clusterOptions;
        options.Routes.Add(new ForwardRouteOptions { Sni = sni, Cluster = cluster });
    }
}
