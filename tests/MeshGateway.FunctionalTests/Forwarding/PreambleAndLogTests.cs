using System.Net;
using System.Net.Sockets;
using MeshGateway.Forwarding;
using MeshGateway.FunctionalTests.Infrastructure;
using MeshGateway.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace MeshGateway.FunctionalTests.Forwarding;

/// <summary>The PROXY header on the wire, in the same send as the replayed hello; and the log lines of a connection.</summary>
public class PreambleAndLogTests
{
    [Fact]
    public async Task Proxy_v2_header_precedes_the_unchanged_hello_on_the_wire()
    {
        byte[] hello = CaptureFiles.ClientHello("curl.bin");
        using Socket upstreamListener = Loopback.Listen();
        await using var harness = ForwarderHarness.Start(b =>
        {
            var cluster = new UpstreamClusterOptions { ProxyProtocol = ProxyProtocolVersion.V2 };
            cluster.Endpoints.Add(upstreamListener.LocalEndPoint!.ToString()!);
            b.Options.Clusters["c"] = cluster;
            b.Options.Routes.Add(new ForwardRouteOptions { Sni = "*", Cluster = "c" });
        });
        using Socket client = await harness.ConnectAsync();

        await Loopback.SendAllAsync(client, hello);
        client.Shutdown(SocketShutdown.Send);
        using Socket upstream = await upstreamListener.AcceptAsync(TestContext.Current.CancellationToken);
        byte[] received = await Loopback.ReadToEndAsync(upstream);

        var clientEnd = (IPEndPoint)client.LocalEndPoint!;
        ForwardingContext context = await harness.Observer.NextStreamingAsync();
        string sni = context.ClientHello!.ServerName!;
        byte[] expectedHeader =
        [
            .. ProxyProtocolV2Writer.Signature, 0x21, 0x11, 0x00, (byte)(12 + 3 + sni.Length),
            .. clientEnd.Address.GetAddressBytes(), .. harness.EndPoint.Address.GetAddressBytes(),
            (byte)(clientEnd.Port >> 8), (byte)clientEnd.Port, (byte)(harness.EndPoint.Port >> 8), (byte)harness.EndPoint.Port,
            0x02, 0x00, (byte)sni.Length, .. System.Text.Encoding.ASCII.GetBytes(sni),
        ];
        Assert.Equal([.. expectedHeader, .. hello], received);
        upstream.Shutdown(SocketShutdown.Send);
        var (_, result) = await harness.Observer.NextClosedAsync();
        Assert.Equal(hello.Length, result.BytesFromClient); // the header is not client bytes
    }

    [Fact]
    public async Task Refusals_and_closes_are_logged_with_their_reason()
    {
        var logs = new FakeLogCollector();
        using var loggerFactory = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Debug).AddProvider(new FakeLoggerProvider(logs)));
        await using var harness = ForwarderHarness.Start(b => b.UseLoggerFactory(loggerFactory));
        using Socket client = await harness.ConnectAsync();

        await Loopback.SendAllAsync(client, "plain text"u8.ToArray());
        await harness.Observer.NextClosedAsync();

        var records = logs.GetSnapshot();
        FakeLogRecord refused = Assert.Single(records, r => r.Id.Id == 6);
        Assert.Equal(LogLevel.Information, refused.Level);
        Assert.Contains("NotTls", refused.Message, StringComparison.Ordinal);
        FakeLogRecord closed = Assert.Single(records, r => r.Id.Id == 5);
        Assert.Contains("NotTls in Routing", closed.Message, StringComparison.Ordinal);
    }
}
