using System.Net;
using System.Net.Sockets;
using MeshGateway.Forwarding;
using MeshGateway.FunctionalTests.Infrastructure;
using MeshGateway.Testing;

namespace MeshGateway.FunctionalTests.Forwarding;

/// <summary>
/// The addresses a listener-accepted connection reports (<see cref="ForwardingContext.RemoteEndPoint"/> and
/// <see cref="ForwardingContext.LocalEndPoint"/>, used by logs and PROXY headers): on Linux the loop accept reads them
/// from <c>accept4</c>'s <c>sockaddr</c> and, for a wildcard listener, <c>getsockname</c>, with no runtime socket.
/// </summary>
public class AcceptedEndPointTests
{
    [Theory]
    [InlineData("127.0.0.1", "127.0.0.1")]   // bound to one address: every connection's local address is the listener's
    [InlineData("0.0.0.0", "127.0.0.1")]     // wildcard: each connection asks for its own
    [InlineData("::1", "::1")]               // IPv6: sockaddr_in6, port and scope
    public async Task An_accepted_connection_reports_the_clients_address_and_the_address_it_reached(string bind, string connectTo)
    {
        var listenAddress = IPAddress.Parse(bind);
        Assert.SkipWhen(listenAddress.AddressFamily == AddressFamily.InterNetworkV6 && !Socket.OSSupportsIPv6, "no IPv6 on this machine");
        var observer = new RecordingObserver();
        await using TcpForwarder forwarder = new TcpForwarderBuilder().UseSniffing(false).AddObserver(observer).Build();
        var listener = new ForwarderListener(forwarder, new IPEndPoint(listenAddress, 0));
        try
        {
            listener.Start();
        }
        catch (SocketException) when (listenAddress.AddressFamily == AddressFamily.InterNetworkV6)
        {
            Assert.Skip("IPv6 loopback cannot be bound on this machine");
        }

        try
        {
            var target = new IPEndPoint(IPAddress.Parse(connectTo), listener.LocalEndPoint!.Port);
            using var client = new Socket(target.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            await client.ConnectAsync(target, TestContext.Current.CancellationToken);

            ForwardingContext context = await observer.NextAcceptedAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
            Assert.Equal(client.LocalEndPoint, context.RemoteEndPoint);
            Assert.Equal(target, context.LocalEndPoint);
        }
        finally
        {
            await listener.StopAsync(TestContext.Current.CancellationToken);
        }
    }
}
