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
/// A <c>meshgw run</c> file with a <c>consul</c> section, run in process on the one runner against the in-repo Consul
/// API server, with what was once refused next to <c>consul</c>: a PROXY protocol header on the agent's routes, and
/// static services by <c>sni</c> or in a namespace next to the agent's. Clients are real TLS clients; upstreams are plain
/// sockets that read what arrives (the ClientHello record, after the header when there is one).
/// </summary>
public class RunConsulRoutesTests
{
    private const string TrustDomain = "7f42f496-fbc7-8692-05ed-334aa5340c1e.consul";
    private const string WebSni = "web.default.dc1.internal." + TrustDomain;

    [Fact]
    public async Task Routes_from_the_agent_write_the_files_proxy_protocol_header_before_the_client_hello()
    {
        using var web = Upstream();
        await using FakeConsulAgent agent = await AgentWithWebAsync(web);
        string json = $$"""
            { "datacenter": "dc1", "listeners": [ "127.0.0.1:0" ], "proxyProtocol": "v1", "consul": { "address": "{{agent.Address}}" } }
            """;

        await using Running gateway = await Running.StartAsync(json);
        string header = await UntilReachedAsync(gateway.EndPoint, WebSni, web);

        Assert.StartsWith("PROXY TCP4 127.0.0.1 127.0.0.1 ", header, StringComparison.Ordinal);
        Assert.EndsWith("\r\n", header, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Static_services_by_sni_and_in_a_namespace_route_next_to_the_agents()
    {
        using var web = Upstream();
        using var subset = Upstream();
        using var billing = Upstream();
        await using FakeConsulAgent agent = await AgentWithWebAsync(web);
        string json = $$"""
            {
              "datacenter": "dc1", "listeners": [ "127.0.0.1:0" ],
              "services": [ { "sni": "v1.{{WebSni}}", "endpoints": [ "{{subset.LocalEndpoint}}" ] },
                            { "name": "billing", "namespace": "finance", "endpoints": [ "{{billing.LocalEndpoint}}" ] } ],
              "consul": { "address": "{{agent.Address}}" }
            }
            """;

        await using Running gateway = await Running.StartAsync(json);

        Assert.Equal(string.Empty, await UntilReachedAsync(gateway.EndPoint, WebSni, web));
        Assert.Equal(string.Empty, await UntilReachedAsync(gateway.EndPoint, "v1." + WebSni, subset));
        Assert.Equal(string.Empty, await UntilReachedAsync(gateway.EndPoint, "billing.finance.dc1.internal." + TrustDomain, billing));
    }

    private static TcpListener Upstream()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return listener;
    }

    private static async Task<FakeConsulAgent> AgentWithWebAsync(TcpListener web)
    {
        FakeConsulAgent agent = await FakeConsulAgent.StartAsync();
        agent.Set("/v1/connect/ca/roots", Catalog.Roots(TrustDomain));
        agent.Set("/v1/catalog/services", Catalog.Services("web"));
        agent.Set("/v1/catalog/datacenters", Catalog.Datacenters("dc1"));
        agent.Set("/v1/health/connect/web", Catalog.List(Catalog.Proxy("web", "node-a", "127.0.0.1", "127.0.0.1", ((IPEndPoint)web.LocalEndpoint).Port)));
        return agent;
    }

    /// <summary>
    /// Dials <paramref name="sni"/> through the gateway until <paramref name="upstream"/> receives the connection (nothing
    /// routes until the agent's first snapshot is applied); returns what arrived before the ClientHello record.
    /// </summary>
    private static async Task<string> UntilReachedAsync(IPEndPoint gateway, string sni, TcpListener upstream)
    {
        using var patience = new CancellationTokenSource(Catalog.Patience);
        while (true)
        {
            if (await BeforeHelloAsync(gateway, sni, upstream, patience.Token) is { } received)
            {
                return received;
            }
        }
    }

    /// <summary>The bytes <paramref name="upstream"/> receives before the client's first TLS record, or null when it got no connection in a second.</summary>
    private static async Task<string?> BeforeHelloAsync(IPEndPoint gateway, string sni, TcpListener upstream, CancellationToken cancellationToken)
    {
        using var client = new TcpClient(AddressFamily.InterNetwork);
        await client.ConnectAsync(gateway, cancellationToken);
        await using var tls = new SslStream(client.GetStream());
        Task handshake = tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = sni }, cancellationToken);
        using var second = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        second.CancelAfter(TimeSpan.FromSeconds(1));
        try
        {
            using Socket accepted = await upstream.AcceptSocketAsync(second.Token);
            var received = new List<byte>();
            var one = new byte[1];
            while (true)
            {
                Assert.Equal(1, await accepted.ReceiveAsync(one, SocketFlags.None, cancellationToken));
                if (one[0] == 0x16 && (received.Count == 0 || received[^1] == '\n'))
                {
                    // RFC 8446 §5.1: a handshake record, the client's own first byte; a PROXY v1 header ends in CRLF.
                    return Encoding.ASCII.GetString([.. received]);
                }

                received.Add(one[0]);
            }
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

    /// <summary>A composed file running on <see cref="ConsulGatewaySource"/>, stopped (and its exit code checked) on dispose.</summary>
    private sealed class Running : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private Task<int> _running = Task.FromResult(0);

        public IPEndPoint EndPoint { get; private set; } = null!;

        public static async Task<Running> StartAsync(string json)
        {
            var errors = new List<string>();
            MeshGatewayComposition? composition = RunConfigFile.Compose(json, null, errors, [], out RunConsulPlan? plan, _ => null);
            Assert.Empty(errors);
            var output = new LineSignalingWriter();
            var running = new Running();
            running._running = ConsulGatewaySource.RunAsync(plan!.Client, composition!, output, TextWriter.Null, running._stop.Token, new GatewayRunOptions { ConnectionLog = false });
            string ready = await output.NextLineAsync();
            string address = ready["listening on ".Length..];
            running.EndPoint = IPEndPoint.Parse(address[..address.IndexOf(": ", StringComparison.Ordinal)]);
            return running;
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            Assert.Equal(0, await _running);
            _stop.Dispose();
        }
    }
}
