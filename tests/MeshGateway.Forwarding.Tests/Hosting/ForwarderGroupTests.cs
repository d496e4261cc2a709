using System.Net;
using System.Net.Sockets;
using MeshGateway.Forwarding;

namespace MeshGateway.Forwarding.Tests.Hosting;

/// <summary>A composed sidecar run by <see cref="ForwarderGroup"/> on real loopback sockets: bytes flow, stop drains.</summary>
public class ForwarderGroupTests
{
    [Fact]
    public async Task Composed_sidecar_forwards_bytes_and_stop_closes_open_connections_as_drained()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        using var backend = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        backend.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        backend.Listen();
        var endpoints = new SidecarUpstreamEndpoints([new UpstreamEndpoint((IPEndPoint)backend.LocalEndPoint!)], [], []);
        IReadOnlyList<ListenerPlan> plans = new SidecarBuilder("dc1")
            .AddUpstream("db", new IPEndPoint(IPAddress.Loopback, 0), endpoints)
            .Build();
        var observer = new ClosedObserver();

        await using ForwarderGroup group = await ForwarderGroup.StartAsync(
            plans, new ForwarderOptions { DrainTimeout = TimeSpan.Zero }, (_, builder) => builder.AddObserver(observer));
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(group.LocalEndPoints[0]!, ct);
        using Socket upstream = await backend.AcceptAsync(ct);
        await client.SendAsync("ping"u8.ToArray(), ct);
        byte[] buffer = new byte[4];
        int read = 0;
        while (read < 4)
        {
            read += await upstream.ReceiveAsync(buffer.AsMemory(read), ct);
        }

        Assert.Equal("ping"u8.ToArray(), buffer);
        Assert.Equal(1, group.ActiveConnections);

        await group.StopAsync(ct);

        ForwardingResult result = await observer.Closed.Task.WaitAsync(ct);
        Assert.Equal(CloseCause.Drained, result.Cause);
        Assert.Equal(0, group.ActiveConnections);
    }

    private sealed class ClosedObserver : IForwarderObserver
    {
        public TaskCompletionSource<ForwardingResult> Closed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void OnClosed(ForwardingContext context, ForwardingResult result) => Closed.TrySetResult(result);
    }
}
