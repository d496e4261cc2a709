using System.Net;
using System.Net.Sockets;
using MeshGateway.Forwarding;
using MeshGateway.FunctionalTests.Faults;
using MeshGateway.FunctionalTests.Infrastructure;
using MeshGateway.Testing;

namespace MeshGateway.FunctionalTests.Forwarding;

/// <summary>
/// The dial on the forwarder's own loop sends the hello right behind a connect that said EINPROGRESS: to a peer on
/// this host the kernel has finished the handshake inside connect(2), and the send then proves the connection with no
/// writability wait; a connection still in progress answers EAGAIN and is waited for as before, and its endpoint
/// backs off from trying.
/// </summary>
[Collection(typeof(ProcessResourceIsolation))] // walks the process-wide loops' registrations
public class SendBehindConnectTests
{
    private static readonly byte[] Hello = File.ReadAllBytes(Path.Combine(CaptureFiles.ClientHelloDirectory, "curl.bin"));

    [Fact]
    public async Task A_hello_to_an_upstream_on_this_host_goes_behind_the_connect_and_its_socket_is_armed_once_for_reading()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "the own readiness loops are Linux only");
        using Socket backend = Loopback.Listen();
        StaticRouteResolver route = ForwarderHarness.StaticRoute(backend.LocalEndPoint!);
        await using var harness = ForwarderHarness.Start(b => b.UseRouteResolver(route));

        using Socket client = await harness.ConnectAsync();
        await Loopback.SendAllAsync(client, Hello);
        using Socket upstream = await backend.AcceptAsync(TestContext.Current.CancellationToken);
        Assert.Equal(Hello, await Loopback.ReadExactlyAsync(upstream, Hello.Length));

        // An answer that reaches the client has been read by the copy, so the upstream's read watch is armed by now.
        byte[] answer = [1, 2, 3];
        await Loopback.SendAllAsync(upstream, answer);
        Assert.Equal(answer, await Loopback.ReadExactlyAsync(client, answer.Length));

        // The forwarder's socket for this upstream: one epoll_ctl, the copy's add for reading. A writability wait for
        // the connect would have added it for writing first and changed it to reading after (two).
        Assert.Equal(1, RegistrationOf((IPEndPoint)upstream.RemoteEndPoint!).ControlCalls);
        Assert.Equal(0, route.Route.Cluster.Endpoints[0].SendBehindConnectSkips);
    }

    [Fact]
    public async Task A_connect_still_in_progress_when_the_hello_is_tried_is_waited_for_and_the_hello_arrives_whole()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "the own readiness loops are Linux only");

        // An accept queue that is full drops the next SYN (Linux, tcp_conn_request): the forwarder's connect stays in
        // progress until the SYN is sent again (after 1 s), by when the queue has room.
        using Socket backend = Loopback.Listen(backlog: 0);
        using Socket queued = await Loopback.ConnectAsync(backend.LocalEndPoint!);
        StaticRouteResolver route = ForwarderHarness.StaticRoute(backend.LocalEndPoint!);
        await using var harness = ForwarderHarness.Start(b => b.UseRouteResolver(route));
        UpstreamEndpoint endpoint = route.Route.Cluster.Endpoints[0];

        using Socket client = await harness.ConnectAsync();
        await Loopback.SendAllAsync(client, Hello);
        ForwardingContext context = await harness.Observer.NextAcceptedAsync();
        for (int i = 0; i < 500 && (context.ConnectAttempts == 0 || endpoint.SendBehindConnectSkips == 0); i++)
        {
            await Task.Delay(10, TestContext.Current.CancellationToken);   // until the dial tried its send and found the connect in progress
        }

        Assert.Equal(UpstreamEndpoint.SendBehindConnectBackoff, endpoint.SendBehindConnectSkips);
        using (await backend.AcceptAsync(TestContext.Current.CancellationToken))
        {
            // The queued connection leaves the queue: the next SYN is answered.
        }

        using Socket upstream = await backend.AcceptAsync(TestContext.Current.CancellationToken).AsTask().WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        Assert.Equal(Hello, await Loopback.ReadExactlyAsync(upstream, Hello.Length));

        // The phase is set after the replay's send returns, so it is waited for, not read: the connection streams.
        Assert.Same(context, await harness.Observer.NextStreamingAsync());
        Assert.Equal(ForwardingPhase.Streaming, context.Phase);
    }

    /// <summary>The registration of the forwarder's socket whose local address is <paramref name="local"/>.</summary>
    private static ReadinessRegistration RegistrationOf(IPEndPoint local) =>
        EpollReadiness.ConnectionRegistrations()
            .Single(r => local.Equals(SocketDescriptor.Invoke(r.Handle, 0, static (fd, _) => LinuxSockets.LocalAddress(fd), whenClosed: null)));
}
