using MeshGateway.ClientHello;

namespace MeshGateway.Fuzz.Targets;

/// <summary>What one parse path concluded, in a form two paths can be compared by.</summary>
/// <remarks>The server name is compared as its wire bytes (hex), so names <c>GetServerName</c> withholds still count.</remarks>
internal readonly record struct ClientHelloOutcome(
    ClientHelloStatus Status,
    ClientHelloMalformedReason Reason,
    string? ServerName,
    ServerNameTraits Traits,
    ClientHelloTolerances Tolerances,
    string Alpn,
    int Length,
    string? Ja4)
{
    public static ClientHelloOutcome From(ClientHelloStatus status, ClientHelloMalformedReason reason, in ClientHelloInfo hello) =>
        status == ClientHelloStatus.Done
            ? new(
                status,
                reason,
                hello.HasServerName ? Convert.ToHexString(hello.ServerName) : null,
                hello.ServerNameTraits,
                hello.Tolerances,
                string.Join(',', hello.GetApplicationProtocols()),
                hello.Length,
                hello.GetJa4())
            : new(status, reason, null, default, default, string.Empty, 0, null);
}
