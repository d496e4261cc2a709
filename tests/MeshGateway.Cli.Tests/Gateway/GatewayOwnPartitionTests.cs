using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using MeshGateway.Cli.Commands.Gateway;
using MeshGateway.Forwarding;

namespace MeshGateway.Cli.Tests.Gateway;

/// <summary>
/// Issue 14, item 6, end to end: <c>meshgw gateway --partition Foo --remote-gateway dc1/foo=…</c> once forwarded the
/// gateway's own unknown names to that "remote" (itself). A real TLS client on loopback now gets the connection closed
/// with <c>NoRoute</c>, and the "remote" gateway is never dialled.
/// </summary>
public class GatewayOwnPartitionTests
{
    [Fact]
    public async Task Unknown_name_of_the_gateways_own_partition_closes_even_when_a_remote_key_names_it_in_another_case()
    {
        using var remote = new TcpListener(IPAddress.Loopback, 0);
        remote.Start();
        int remoteAccepts = 0;
        Task accepting = AcceptAndCloseAsync(remote, () => Interlocked.Increment(ref remoteAccepts));

        var errors = new List<string>();
        GatewaySettings settings = GatewaySettings.Create(
            "127.0.0.1:0", "dc1", "Foo", "td.consul", [], [], [$"dc1/foo={remote.LocalEndpoint}"], errors);
        Assert.Empty(errors);
        var output = new LineSignalingWriter();
        using var stop = new CancellationTokenSource();
        Task<int> running = GatewayRunner.RunAsync(
            MeshGatewayComposer.Compose(settings.ToOptions(consul: null)), output, TextWriter.Null, stop.Token, new GatewayRunOptions { Describe = false });
        string ready = await output.NextLineAsync();
        var endPoint = IPEndPoint.Parse(ready["listening on ".Length..]);

        using (var client = new TcpClient())
        {
            await client.ConnectAsync(endPoint, TestContext.Current.CancellationToken);
            await using var tls = new SslStream(client.GetStream());
            var options = new SslClientAuthenticationOptions { TargetHost = "unknown.default.foo.dc1.internal-v1.td.consul" };
            await Assert.ThrowsAnyAsync<IOException>(() => tls.AuthenticateAsClientAsync(options, TestContext.Current.CancellationToken));
        }

        string closed = await output.NextLineAsync();
        Assert.Contains("reason=NoRoute", closed, StringComparison.Ordinal);
        await stop.CancelAsync();
        Assert.Equal(0, await running);
        remote.Stop();
        await accepting;
        Assert.Equal(0, Volatile.Read(ref remoteAccepts));
    }

    private static async Task AcceptAndCloseAsync(TcpListener listener, Action accepted)
    {
        try
        {
            while (true)
            {
                using Socket socket = await listener.AcceptSocketAsync();
                accepted();
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // The listener was stopped.
        }
    }
}
