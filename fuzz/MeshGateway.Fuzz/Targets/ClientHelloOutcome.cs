using MeshGateway.ClientHello;

namespace MeshGateway.Fuzz.Targets;

/// <summary>What one parse path concluded, in a form two paths can be compared by.</summary>
internal readonly record struct ClientHelloOutcome(
    ClientHelloStatus Status,
    ClientHelloMalformedReason Reason,
    string? ServerName,
    string Alpn,
    int Length,
    string? Ja4)
{
    public static ClientHelloOutcome From(ClientHelloStatus status, ClientHelloMalformedReason reason, in ClientHelloInfo hello) =>
        status == ClientHelloStatus.Done
            ? new(status, reason, hello.GetServerName(), string.Join(',', hello.GetApplicationProtocols()), hello.Length, hello.GetJa4())
            : new(status, reason, null, string.Empty, 0, null);
}
