using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using MeshGateway.Forwarding.Hosting;
using Microsoft.Extensions.Options;

namespace MeshGateway.Forwarding.Hosting.Tests.Hosting;

/// <summary>The hosted standalone listener, configured from the <c>MeshGateway</c> section and validated at start.</summary>
public class MeshGatewayListenerServiceTests
{
    private static readonly byte[] Hello = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "TestData", "client-hellos", "curl.bin"));

    [Fact]
    public async Task Host_refuses_to_start_and_lists_every_listener_and_forwarder_error()
    {
        using IHost host = BuildHost(new Dictionary<string, string?>
        {
            ["MeshGateway:Listeners:0"] = "not-an-address",
            ["MeshGateway:Listeners:1"] = "127.0.0.1",
            ["MeshGateway:Routes:0:Sni"] = "web.example.test",
            ["MeshGateway:Routes:0:Cluster"] = "missing",
        });

        var error = await Assert.ThrowsAnyAsync<Exception>(() => host.StartAsync(TestContext.Current.CancellationToken));

        string all = error.ToString();
        Assert.Contains("MeshGateway:Listeners:0: 'not-an-address' is not IP:PORT.", all, StringComparison.Ordinal);
        Assert.Contains("MeshGateway:Listeners:1: '127.0.0.1' is not IP:PORT.", all, StringComparison.Ordinal);
        Assert.Contains("missing", all, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Host_started_from_configuration_forwards_by_sni_and_drains_on_stop()
    {
        using Socket upstreamListener = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        upstreamListener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        upstreamListener.Listen();
        using IHost host = BuildHost(new Dictionary<string, string?>
        {
            ["MeshGateway:Listeners:0"] = "127.0.0.1:0",
            ["MeshGateway:Routes:0:Sni"] = "*.dc2.internal.11111111-2222-3333-4444-555555555555.consul",
            ["MeshGateway:Routes:0:Cluster"] = "dc2",
            ["MeshGateway:Clusters:dc2:Endpoints:0"] = upstreamListener.LocalEndPoint!.ToString(),
            ["MeshGateway:IdleTimeout"] = "00:01:00",
        });
        await host.StartAsync(TestContext.Current.CancellationToken);
        var service = host.Services.GetRequiredService<MeshGatewayListenerService>();

        using (Socket client = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            await client.ConnectAsync(service.EndPoints[0], TestContext.Current.CancellationToken);
            await client.SendAsync(Hello, TestContext.Current.CancellationToken);
            using Socket upstream = await upstreamListener.AcceptAsync(TestContext.Current.CancellationToken);
            byte[] received = new byte[Hello.Length];
            int filled = 0;
            while (filled < received.Length)
            {
                filled += await upstream.ReceiveAsync(received.AsMemory(filled), TestContext.Current.CancellationToken);
            }

            Assert.Equal(Hello, received);
        }

        Assert.Equal(TimeSpan.FromMinutes(1), host.Services.GetRequiredService<IOptions<ForwarderOptions>>().Value.IdleTimeout);
        await host.StopAsync(TestContext.Current.CancellationToken);
        Assert.True(host.Services.GetRequiredService<TcpForwarder>().IsDraining);
    }

    private static IHost BuildHost(Dictionary<string, string?> settings)
    {
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddMeshGatewayListener(builder.Configuration.GetSection("MeshGateway"));
        return builder.Build();
    }
}
