using System.Buffers.Binary;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;

namespace MeshGateway.Consul.Tests.Gateway;

/// <summary>
/// The first TLS record (the ClientHello) a real TLS client (<see cref="SslStream"/>) sends for a server name, captured
/// on 127.0.0.1, so a test can open a connection through the gateway and then keep sending plain bytes on it.
/// </summary>
internal static class ClientHelloCapture
{
    public static async Task<byte[]> CaptureAsync(string serverName)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        using var client = new TcpClient(AddressFamily.InterNetwork);
        await client.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port);
        using Socket server = await listener.AcceptSocketAsync();
        var tls = new SslStream(client.GetStream(), leaveInnerStreamOpen: true);
        Task handshake = tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = serverName });

        // RFC 8446 §5.1: type(1) version(2) length(2), then the handshake message.
        byte[] header = await ReadExactlyAsync(server, 5);
        byte[] body = await ReadExactlyAsync(server, BinaryPrimitives.ReadUInt16BigEndian(header.AsSpan(3)));
        server.Close();
        await Assert.ThrowsAnyAsync<Exception>(() => handshake);
        await tls.DisposeAsync();
        return [.. header, .. body];
    }

    public static async Task<byte[]> ReadExactlyAsync(Socket socket, int count)
    {
        var buffer = new byte[count];
        using var patience = new CancellationTokenSource(MeshGateway.Testing.Consul.Catalog.Patience);
        for (int read = 0; read < count;)
        {
            int n = await socket.ReceiveAsync(buffer.AsMemory(read), SocketFlags.None, patience.Token);
            Assert.True(n > 0, $"the connection closed after {read} of {count} bytes");
            read += n;
        }

        return buffer;
    }
}
