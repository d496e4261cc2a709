using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using MeshGateway.Cli.Commands.Gateway;
using MeshGateway.Cli.Commands.Run;
using MeshGateway.Cli.Tests.Gateway;
using MeshGateway.Forwarding;
using MeshGateway.Testing.Consul;

namespace MeshGateway.Cli.Tests.Run;

/// <summary>
/// A <c>meshgw run</c> file with a <c>consul</c> section and <c>proxyProtocol</c> (once refused): the routes the agent
/// gives write the PROXY header to the upstream before the client's bytes, as a static file's routes do. The agent is
/// the in-repo Consul API server; the client is a real TLS client, the upstream a plain socket that reads what arrives.
/// </summary>
public class RunConsulProxyProtocolTests
{
    private const string TrustDomain = "7f42f496-fbc7-8692-05ed-334aa5340c1e.consul";
    private const string Sni = "web.default.dc1.internal." + TrustDomain;

    [Fact]
    public async Task Routes_from_the_agent_write_the_files_proxy_protocol_header_before_the_client_hello()
    {
        using var upstream = new TcpListener(IPAddress.Loopback, 0);
        upstream.Start();
        await using FakeConsulAgent agent = await FakeConsulAgent.StartAsync();
        agent.Set("/v1/connect/ca/roots", Catalog.Roots(TrustDomain));
        agent.Set("/v1/catalog/services", Catalog.Services("web"));
        agent.Set("/v1/catalog/datacenters", Catalog.Datacenters("dc1"));
        agent.Set("/v1/health/connect/web", Catalog.List(Catalog.Proxy("web", "node-a", "127.0.0.1", "127.0.0.1", ((IPEndPoint)upstream.LocalEndpoint).Port)));
        string json = $$"""
            { "datacenter": "dc1", "listeners": [ "127.0.0.1:0" ], "proxyProtocol": "v1", "consul": { "address": "{{agent.Address}}" } }
            """;
        var errors = new List<string>();
        MeshGatewayComposition? composition = RunConfigFile.Compose(json, null, errors, [], out RunConsulPlan? plan, _ => null);
        Assert.Empty(errors);

        var output = new LineSignalingWriter();
        using var stop = new CancellationTokenSource();
        Task<int> running = ConsulGatewaySource.RunAsync(plan!.Client, composition!, output, TextWriter.Null, stop.Token, new GatewayRunOptions { ConnectionLog = false });
        string ready = await output.NextLineAsync();
        string address = ready["listening on ".Length..];
        var gateway = IPEndPoint.Parse(address[..address.IndexOf(": ", StringComparison.Ordinal)]);

        using var patience = new CancellationTokenSource(Catalog.Patience);
        string? header = null;
        while (header is null)
        {
            // Nothing routes until the agent's first snapshot is applied: such a connection closes and nothing is dialled.
            header = await HeaderSeenUpstreamAsync(gateway, upstream, patience.Token);
        }

        Assert.StartsWith("PROXY TCP4 127.0.0.1 127.0.0.1 ", header, StringComparison.Ordinal);
        await stop.CancelAsync();
        Assert.Equal(0, await running);
    }

    /// <summary>
    /// Opens a TLS connection for <see cref="Sni"/> through the gateway; returns the first line the upstream receives,
    /// followed by the first byte of the ClientHello record, or null when nothing reached the upstream in a second.
    /// </summary>
    private static async Task<string?> HeaderSeenUpstreamAsync(IPEndPoint gateway, TcpListener upstream, CancellationToken cancellationToken)
    {
        using var client = new TcpClient(AddressFamily.InterNetwork);
        await client.ConnectAsync(gateway, cancellationToken);
        await using var tls = new SslStream(client.GetStream());
        Task handshake = tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = Sni }, cancellationToken);
        using var second = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        second.CancelAfter(TimeSpan.FromSeconds(1));
        try
        {
            using Socket accepted = await upstream.AcceptSocketAsync(second.Token);
            var received = new List<byte>();
            var one = new byte[1];
            while (received.Count < 2 || received[^2] != '\r' || received[^1] != '\n')
            {
                Assert.Equal(1, await accepted.ReceiveAsync(one, SocketFlags.None, cancellationToken));
                received.Add(one[0]);
            }

            Assert.Equal(1, await accepted.ReceiveAsync(one, SocketFlags.None, cancellationToken));
            Assert.Equal(0x16, one[0]); // RFC 8446 §5.1: a handshake record, the client's own bytes after the header
            return Encoding.ASCII.GetString([.. received]);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
        finally
        {
            client.Close();
            await Assert.ThrowsAnyAsync<Exception>(() => handshake);
        }
    }
}
