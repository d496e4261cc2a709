using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;

namespace MeshGateway.Testing;

/// <summary>
/// A real TLS server on loopback (SslStream, self-signed certificate): completes the handshake, prefixes every
/// reply with its name, echoes what it reads, and reports the SNI it saw.
/// </summary>
public sealed class TlsEchoServer : IAsyncDisposable
{
    private readonly Socket _listener = Loopback.Listen();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _handshakes;

    /// <summary>Starts a server named <paramref name="name"/> whose certificate holds <paramref name="dnsNames"/>.</summary>
    public TlsEchoServer(string name, params string[] dnsNames)
    {
        Name = name;
        Certificate = TestCertificates.Create(dnsNames);
        _loop = AcceptLoopAsync();
    }

    /// <summary>The name the server greets every connection with ("NAME:").</summary>
    public string Name { get; }

    /// <summary>The server's self-signed certificate; a client pins it to prove the handshake reached this server.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>Where the server listens (127.0.0.1, an ephemeral port).</summary>
    public IPEndPoint EndPoint => (IPEndPoint)_listener.LocalEndPoint!;

    /// <summary>The SNI of the last completed handshake.</summary>
    public string? LastServerName { get; private set; }

    /// <summary>How many handshakes completed.</summary>
    public int Handshakes => Volatile.Read(ref _handshakes);

    /// <summary>Stops accepting and serving, and disposes the certificate.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Dispose();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
        }

        Certificate.Dispose();
        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptAsync(_stop.Token);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }

            _ = ServeAsync(socket);
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        try
        {
            await using var tls = new SslStream(new NetworkStream(socket, ownsSocket: true));
            await tls.AuthenticateAsServerAsync(
                new SslServerAuthenticationOptions
                {
                    ServerCertificate = Certificate,
                    ApplicationProtocols = [SslApplicationProtocol.Http2, SslApplicationProtocol.Http11],
                },
                _stop.Token);
            LastServerName = tls.TargetHostName;
            Interlocked.Increment(ref _handshakes);
            byte[] greeting = System.Text.Encoding.ASCII.GetBytes(Name + ":");
            await tls.WriteAsync(greeting, _stop.Token);
            byte[] buffer = new byte[64 * 1024];
            int read;
            while ((read = await tls.ReadAsync(buffer, _stop.Token)) > 0)
            {
                await tls.WriteAsync(buffer.AsMemory(0, read), _stop.Token);
            }

            await tls.ShutdownAsync();
        }
        catch (Exception e) when (e is IOException or System.Security.Authentication.AuthenticationException or OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // The test decides what a failed connection means.
        }
    }
}
