using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MeshGateway.Cli.Commands.Demo;

/// <summary>
/// The demo's TLS service: SslStream with a self-signed certificate made at start, echoing every byte back until
/// the client finishes. Only it holds the private key, so a client that sees this certificate spoke to it.
/// </summary>
internal sealed class DemoService : IAsyncDisposable
{
    private readonly Socket _listener = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public DemoService(string serverName)
    {
        Certificate = CreateCertificate(serverName);
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(16);
        _loop = AcceptLoopAsync();
    }

    public X509Certificate2 Certificate { get; }

    public IPEndPoint EndPoint => (IPEndPoint)_listener.LocalEndPoint!;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Dispose();
        await _loop.ConfigureAwait(false);
        Certificate.Dispose();
        _stop.Dispose();
    }

    private static X509Certificate2 CreateCertificate(string serverName)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={serverName}", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName(serverName);
        request.CertificateExtensions.Add(san.Build());
        DateTimeOffset now = DateTimeOffset.UtcNow;
        using X509Certificate2 certificate = request.CreateSelfSigned(now.AddMinutes(-5), now.AddHours(1));
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
    }

    private async Task AcceptLoopAsync()
    {
        var connections = new List<Task>();
        while (true)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                break;
            }

            connections.Add(ServeAsync(socket));
        }

        await Task.WhenAll(connections).ConfigureAwait(false);
    }

    private async Task ServeAsync(Socket socket)
    {
        try
        {
            var tls = new SslStream(new NetworkStream(socket, ownsSocket: true));
            await using (tls.ConfigureAwait(false))
            {
                await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = Certificate }, _stop.Token).ConfigureAwait(false);
                byte[] buffer = new byte[16 * 1024];
                int read;
                while ((read = await tls.ReadAsync(buffer, _stop.Token).ConfigureAwait(false)) > 0)
                {
                    await tls.WriteAsync(buffer.AsMemory(0, read), _stop.Token).ConfigureAwait(false);
                }

                await tls.ShutdownAsync().ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is IOException or System.Security.Authentication.AuthenticationException or OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // The client's report says what failed.
        }
    }
}
