// .NET SslStream client for capture.sh (a .NET 10 file-based app):
// `dotnet run dotnet-client.cs -- HOST PORT SNI`. Sends a ClientHello with SNI (TargetHost) and
// ALPN h2, http/1.1, then waits for the peer to close.
using System.Net.Security;
using System.Net.Sockets;
using System.Runtime.InteropServices;

using var tcp = new TcpClient();
await tcp.ConnectAsync(args[0], int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture));
await using var tls = new SslStream(tcp.GetStream());
try
{
    await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
    {
        TargetHost = args[2],
        ApplicationProtocols = [SslApplicationProtocol.Http2, SslApplicationProtocol.Http11],
        RemoteCertificateValidationCallback = (_, _, _, _) => true,
    });
}
catch (Exception e) when (e is System.Security.Authentication.AuthenticationException or IOException)
{
    Console.Error.WriteLine($"handshake ended as expected: {e.Message}");
}

Console.Error.WriteLine($"{RuntimeInformation.FrameworkDescription} on {RuntimeInformation.OSDescription}");
