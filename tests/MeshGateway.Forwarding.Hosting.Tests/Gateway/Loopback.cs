using System.Net;
using System.Net.Sockets;

namespace MeshGateway.Forwarding.Hosting.Tests;

/// <summary>Real sockets on loopback: upstreams that accept, and a client that sends curl's ClientHello through a gateway.</summary>
internal static class Loopback
{
    /// <summary>curl's ClientHello; its SNI is <c>web.default.dc2.internal.11111111-2222-3333-4444-555555555555.consul</c>.</summary>
    public static readonly byte[] Hello = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "TestData", "client-hellos", "curl.bin"));

    /// <summary>A listening upstream on a free loopback port.</summary>
    public static Socket Listen()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        socket.Listen();
        return socket;
    }

    /// <summary>Connects through <paramref name="gateway"/>, sends the hello, and checks that <paramref name="expected"/> receives all of it.</summary>
    /// <returns>The client and the upstream's accepted socket, both still open.</returns>
    public static async Task<(Socket Client, Socket Upstream)> ConnectThroughAsync(IPEndPoint gateway, Socket expected, CancellationToken ct)
    {
        var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(gateway, ct);
        await client.SendAsync(Hello, ct);
        Socket upstream = await expected.AcceptAsync(ct);
        byte[] received = new byte[Hello.Length];
        int filled = 0;
        while (filled < received.Length)
        {
            int read = await upstream.ReceiveAsync(received.AsMemory(filled), ct);
            Assert.NotEqual(0, read);
            filled += read;
        }

        Assert.Equal(Hello, received);
        return (client, upstream);
    }

    /// <summary>As <see cref="ConnectThroughAsync"/>, closing both sockets afterwards.</summary>
    public static async Task AssertRoutedToAsync(IPEndPoint gateway, Socket expected, CancellationToken ct)
    {
        (Socket client, Socket upstream) = await ConnectThroughAsync(gateway, expected, ct);
        client.Dispose();
        upstream.Dispose();
    }
}
