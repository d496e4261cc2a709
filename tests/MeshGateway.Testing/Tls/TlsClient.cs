using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Xunit;

namespace MeshGateway.Testing;

/// <summary>A real TLS client (SslStream) that trusts exactly one certificate: the end server's.</summary>
public static class TlsClient
{
    /// <summary>
    /// Connects to <paramref name="endPoint"/> and completes a TLS handshake for <paramref name="serverName"/> (SNI),
    /// offering <paramref name="alpn"/>, accepting only <paramref name="expectedServer"/>'s certificate.
    /// </summary>
    public static async Task<SslStream> ConnectAsync(EndPoint endPoint, string serverName, X509Certificate2 expectedServer, params SslApplicationProtocol[] alpn)
    {
        Socket socket = await Loopback.ConnectAsync(endPoint);
        var tls = new SslStream(new NetworkStream(socket, ownsSocket: true));
        try
        {
            await tls.AuthenticateAsClientAsync(
                new SslClientAuthenticationOptions
                {
                    TargetHost = serverName,
                    ApplicationProtocols = alpn.Length == 0 ? null : [.. alpn],
                    // Pinning the end server's certificate proves the handshake reached it untouched.
                    RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                        certificate is not null && certificate.GetCertHashString() == expectedServer.GetCertHashString(),
                },
                TestContext.Current.CancellationToken);
            return tls;
        }
        catch
        {
            // A failed handshake (e.g. another server answered) closes the socket now: left to the finalizer, the
            // connection stays open through the proxy and a drain waits for it.
            await tls.DisposeAsync();
            throw;
        }
    }

    /// <summary>Reads the server's "NAME:" greeting.</summary>
    public static async Task<string> ReadGreetingAsync(SslStream tls)
    {
        var text = new StringBuilder();
        byte[] one = new byte[1];
        while (await tls.ReadAsync(one, TestContext.Current.CancellationToken) == 1)
        {
            text.Append((char)one[0]);
            if (one[0] == ':')
            {
                break;
            }
        }

        return text.ToString().TrimEnd(':');
    }

    /// <summary>Writes <paramref name="payload"/> and reads back as many bytes (the echo server's answer).</summary>
    public static async Task<byte[]> EchoAsync(SslStream tls, byte[] payload)
    {
        await tls.WriteAsync(payload, TestContext.Current.CancellationToken);
        byte[] back = new byte[payload.Length];
        await tls.ReadExactlyAsync(back, TestContext.Current.CancellationToken);
        return back;
    }
}
